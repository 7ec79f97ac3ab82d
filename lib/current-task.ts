import { AsyncLocalStorage } from 'node:async_hooks';
import type { CurrentTask } from './types.js';

const storage = new AsyncLocalStorage<CurrentTask>();

/**
 * The task whose code is running now, with its abort signal, or undefined
 * outside a task.
 *
 * @example
 * const { signal } = currentTask() ?? {};
 * await fetch(url, { signal });
 */
export function currentTask(): CurrentTask | undefined {
  return storage.getStore();
}

/** Calls `fn(...args)` so that `currentTask()` inside it returns `task`. */
export function callAsTask<Args extends unknown[]>(
  task: CurrentTask,
  fn: (...args: Args) => unknown,
  args: Args,
): unknown {
  return storage.run(task, fn, ...args);
}
