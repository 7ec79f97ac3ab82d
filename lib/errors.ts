/** Reported to `onError` when a task runs longer than its `timeoutMs`. */
export class TaskTimeoutError extends Error {
  /** A stable code to match on. */
  readonly code = 'ERR_TASK_TIMEOUT';
  /** The task that timed out. */
  readonly task: string;
  /** The limit it exceeded, in milliseconds. */
  readonly timeoutMs: number;

  /** Creates the error for `task` and the limit it exceeded. */
  constructor(task: string, timeoutMs: number) {
    super(`Task "${task}" timed out after ${timeoutMs} ms`);
    this.name = 'TaskTimeoutError';
    this.task = task;
    this.timeoutMs = timeoutMs;
    // Render the stack now: until then V8 keeps the frames' receivers,
    // and an aborted signal keeps this error as long as the task lives.
    void this.stack;
  }
}

/** Thrown by `add()` when `maxQueued` tasks are already waiting. */
export class TaskQueueFullError extends Error {
  /** A stable code to match on. */
  readonly code = 'ERR_TASK_QUEUE_FULL';
  /** The `maxQueued` limit that was reached. */
  readonly maxQueued: number;

  /** Creates the error for the limit that was reached. */
  constructor(maxQueued: number) {
    super(`Cannot add a task: maxQueued (${maxQueued}) tasks already wait`);
    this.name = 'TaskQueueFullError';
    this.maxQueued = maxQueued;
  }
}

/**
 * Reported to `onError` when a defined task could not be handed to the
 * transport; the original error is its `cause`.
 */
export class TaskEnqueueError extends Error {
  /** A stable code to match on. */
  readonly code = 'ERR_TASK_ENQUEUE';
  /** The task that could not be enqueued. */
  readonly task: string;
  /** True when the task runs in-process instead (`'run-locally'`). */
  readonly runsLocally: boolean;

  /** Creates the error for `task`, wrapping what the transport threw. */
  constructor(task: string, cause: unknown, runsLocally: boolean) {
    const instead = runsLocally ? ', so it runs in-process instead' : '';
    super(`Could not enqueue task "${task}"${instead}: ${reason(cause)}`, {
      cause,
    });
    this.name = 'TaskEnqueueError';
    this.task = task;
    this.runsLocally = runsLocally;
  }
}

function reason(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
