export { BackgroundTasks } from './background-tasks.js';
export { currentTask } from './current-task.js';
export { TaskQueueFullError, TaskTimeoutError } from './errors.js';
export {
  type BackgroundTasksMiddleware,
  backgroundTasks,
  backgroundTasks as default,
} from './middleware.js';
export type * from './types.js';
