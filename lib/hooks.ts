import { reportHookFailure } from './report.js';

/**
 * Calls a user hook so that nothing it throws or rejects with can escape:
 * a failure is written to stderr, never passed back to another hook.
 */
export function callHook<Args extends unknown[]>(
  hookName: string,
  taskName: string,
  hook: (...args: Args) => unknown,
  ...args: Args
): void {
  try {
    const result = hook(...args);
    if (isThenable(result)) {
      Promise.resolve(result).catch((error: unknown) => {
        reportHookFailure(hookName, taskName, error);
      });
    }
  } catch (error) {
    reportHookFailure(hookName, taskName, error);
  }
}

/** True for promises and anything else with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
