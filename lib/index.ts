export { BackgroundTasks } from './background-tasks.js';
export { currentTask } from './current-task.js';
export { defineTask } from './define-task.js';
export {
  TaskEnqueueError,
  TaskQueueFullError,
  TaskTimeoutError,
} from './errors.js';
export {
  type BackgroundTasksMiddleware,
  backgroundTasks,
  backgroundTasks as default,
} from './middleware.js';
export type * from './types.js';
