import { clearTimeout, setTimeout as startTimer } from 'node:timers';
import { TaskTimeoutError } from './errors.js';
import type { Task } from './task.js';
import type { TaskStatus } from './types.js';

/** How a task that ran can end. */
export type Ending = Exclude<TaskStatus, 'queued' | 'running'>;

/** Told how a task ended; `late` once `watchOutcome()` has returned. */
export type EndListener = (
  ending: Ending,
  error: unknown,
  late: boolean,
) => void;

/**
 * Waits for the promise a task returned, or for its `timeoutMs`, and calls
 * `onEnd` once with whichever comes first. A timeout aborts the task's
 * signal; the promise settling after that changes nothing.
 *
 * @returns whether the task still runs: false if it failed at once.
 */
export function watchOutcome(
  task: Task,
  result: PromiseLike<unknown>,
  onEnd: EndListener,
): boolean {
  const { timeoutMs } = task;
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const settle = (ending: Ending, error?: unknown) => {
    clearTimeout(timer);
    link.settle = undefined;
    onEnd(ending, error, late);
  };
  const link: SettleLink = { settle };

  if (timeoutMs !== undefined) {
    timer = startTimer(() => {
      const error = new TaskTimeoutError(task.name, timeoutMs);
      task.abort(error);
      settle('timedOut', error);
    }, timeoutMs);
  }
  forwardOutcome(result, link);
  late = true;
  return link.settle !== undefined;
}

/**
 * The only thing a task's promise holds on to. A promise may live on after
 * its task timed out; once settled, the link is cut, so it cannot keep the
 * queue or the request in memory.
 */
interface SettleLink {
  settle: ((ending: Ending, error?: unknown) => void) | undefined;
}

/** Kept apart so that its callbacks close over `link` only. */
function forwardOutcome(result: PromiseLike<unknown>, link: SettleLink): void {
  try {
    Promise.resolve(result).then(
      () => link.settle?.('succeeded'),
      (error: unknown) => link.settle?.('failed', error),
    );
  } catch (error) {
    // A promise with a throwing `then` or `constructor` fails its task.
    link.settle?.('failed', error);
  }
}
