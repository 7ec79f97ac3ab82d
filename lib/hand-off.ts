import { currentTask } from './current-task.js';
import { isDefinedTask } from './define-task.js';
import { TaskEnqueueError } from './errors.js';
import { mergeJobOptions } from './job-options.js';
import { assertJsonSafe } from './json-safety.js';
import type { TaskFunction } from './task.js';
import type {
  DefinedTask,
  EnqueueErrorPolicy,
  JobOptions,
  TaskOptions,
  TaskTransport,
} from './types.js';

/** The queue's settings that a hand-off reads. */
export interface HandOffConfig {
  transport: TaskTransport | undefined;
  onEnqueueError: EnqueueErrorPolicy;
}

/** The queue, which reports an enqueue failure to `onError`. */
export interface ErrorReporter {
  reportError(task: string, error: unknown): void;
}

/**
 * Checks an `add()` call and returns what the queue runs for it: for a
 * defined task with a transport, a function that enqueues the job; else
 * `fn` itself.
 *
 * @throws TypeError for `job` on a plain function, `name` on a defined
 *   task, or arguments of a defined task that would not survive JSON.
 */
export function taskToRun(
  fn: TaskFunction<unknown[]>,
  args: unknown[],
  options: TaskOptions,
  config: HandOffConfig,
  reporter: ErrorReporter,
): TaskFunction<unknown[]> {
  if (!isDefinedTask(fn)) {
    if (options.job !== undefined) throw jobOnPlainFunction(fn);
    return fn;
  }
  if (options.name !== undefined) throw renamedTask(fn.name);
  // Checked with or without a transport, so code that works without one
  // keeps working once a transport is set.
  assertJsonSafe(fn.name, args);

  const { transport, onEnqueueError } = config;
  if (!transport) return fn;
  const jobOptions = mergeJobOptions(fn.defaults, options.job);
  const runsLocally = onEnqueueError === 'run-locally';
  return handOff(fn, transport, jobOptions, runsLocally, reporter);
}

/**
 * The in-process run of a transported task: the enqueue. When it fails,
 * `onError` hears of it once; then the task runs here or ends failed.
 */
function handOff(
  task: DefinedTask,
  transport: TaskTransport,
  jobOptions: JobOptions,
  runsLocally: boolean,
  reporter: ErrorReporter,
): TaskFunction<unknown[]> {
  const { name } = task;

  return async function enqueueTask(...args: unknown[]): Promise<unknown> {
    try {
      await transport.enqueue(name, args, jobOptions);
      return undefined;
    } catch (cause) {
      const error = new TaskEnqueueError(name, cause, runsLocally);
      // Timed out or abandoned at a drain deadline while enqueuing: the
      // queue is done with this task, so it must not start running now.
      if (!runsLocally || currentTask()?.signal.aborted) throw error;
      reporter.reportError(name, error);
    }
    return (task as unknown as TaskFunction<unknown[]>)(...args);
  };
}

function jobOnPlainFunction(fn: TaskFunction<unknown[]>): TypeError {
  const name = fn.name ? `"${fn.name}"` : 'an anonymous function';
  return new TypeError(
    `add(): option "job" applies only to tasks made with defineTask(), ` +
      `and ${name} is a plain function`,
  );
}

function renamedTask(name: string): TypeError {
  return new TypeError(
    `add(): option "name" cannot rename the defined task "${name}": ` +
      'workers find it by its defineTask() name',
  );
}
