import type { Request, Response } from 'express';

/** Where a task is in its life. The value on a handle changes as it runs. */
export type TaskStatus =
  | 'queued'
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'timedOut'
  | 'skipped'
  | 'cancelled';

/**
 * When a task may run: `'always'`, or `'success'` (only when the response
 * finished without an abort and with a status below 400).
 */
export type RunPolicy = 'always' | 'success';

/** The handle that `add()` returns for one task. */
export interface TaskHandle {
  /** The task's name: the `name` option, else `fn.name`, else `anonymous`. */
  readonly name: string;
  /** The task's current status; it changes as the task moves on. */
  readonly status: TaskStatus;
  /**
   * Removes the task if it has not started yet.
   *
   * @returns whether the task was cancelled by this call.
   */
  cancel(): boolean;
}

/** Options for one task, given as the first argument of `add()`. */
export interface TaskOptions {
  /**
   * The name used in errors, events and `abandoned` lists.
   *
   * @default fn.name, else 'anonymous'
   */
  name?: string | undefined;
  /**
   * When this task may run; overrides the queue's `when`.
   *
   * @default the queue's `when`
   */
  when?: RunPolicy | undefined;
  /**
   * Milliseconds an async task may run before it is reported as timed out;
   * overrides the queue's `timeoutMs`.
   *
   * @default the queue's `timeoutMs`
   */
  timeoutMs?: number | undefined;
}

/** What `onError` learns about the failure. */
export interface ErrorContext {
  /** The failed task's name. */
  task: string;
  /** True when the response closed before it finished sending. */
  aborted: boolean;
  /** The request, or undefined for a standalone queue. */
  req: Request | undefined;
  /** The response, or undefined for a standalone queue. */
  res: Response | undefined;
  /** The response's final status code, or undefined for a standalone queue. */
  statusCode: number | undefined;
}

/** Called with what a task threw or rejected with, exactly as it was. */
export type ErrorHook = (error: unknown, context: ErrorContext) => unknown;

/** Passed to `onTaskStart` and `onTaskEnd`. */
export interface TaskEvent {
  /** The task's name. */
  name: string;
  /** The request, or undefined for a standalone queue. */
  req: Request | undefined;
  /** The response, or undefined for a standalone queue. */
  res: Response | undefined;
  /** `'running'` at start; the final status at the end. */
  status: TaskStatus;
  /** Milliseconds since the task started; 0 at start. */
  durationMs: number;
  /** What the task threw, for `failed`; the timeout error, for `timedOut`. */
  error?: unknown;
}

/** A hook that observes tasks starting or ending. */
export type TaskHook = (event: TaskEvent) => unknown;

/** Options of a standalone `BackgroundTasks` queue. */
export interface QueueOptions {
  /**
   * Receives every task failure. Errors it throws are written to stderr.
   *
   * @default writes one line naming the task, method, URL and status, then
   *   the stack, to stderr
   */
  onError?: ErrorHook | undefined;
  /**
   * When tasks may run, unless a task says otherwise.
   *
   * @default 'always'
   */
  when?: RunPolicy | undefined;
  /**
   * When true, a failed or timed-out task skips the rest of its queue.
   *
   * @default false
   */
  stopOnError?: boolean | undefined;
  /**
   * Milliseconds an async task may run before it is reported to `onError`
   * as a `TaskTimeoutError` and the queue moves on.
   *
   * @default undefined (no limit)
   */
  timeoutMs?: number | undefined;
  /**
   * Called as each task starts, for metrics and tracing.
   *
   * @default undefined
   */
  onTaskStart?: TaskHook | undefined;
  /**
   * Called as each task ends, before the next task of its queue starts.
   *
   * @default undefined
   */
  onTaskEnd?: TaskHook | undefined;
}

/** Options of the `backgroundTasks()` middleware. */
export interface BackgroundTasksOptions extends QueueOptions {
  /**
   * The `res.locals` property that holds the request's queue.
   *
   * @default 'tasks'
   */
  key?: string | undefined;
  /**
   * How many tasks, across all requests, may run at once.
   *
   * @default Infinity
   */
  concurrency?: number | undefined;
  /**
   * How many tasks may wait, across all requests, before `add()` throws a
   * `TaskQueueFullError`.
   *
   * @default Infinity
   */
  maxQueued?: number | undefined;
}

/** How a queue's tasks have ended so far. */
export interface RunSummary {
  succeeded: number;
  failed: number;
  timedOut: number;
  skipped: number;
  cancelled: number;
}

/** Options of `drain()`. */
export interface DrainOptions {
  /**
   * Milliseconds to wait; then running tasks are signalled to abort and
   * queued tasks are cancelled.
   *
   * @default undefined (wait for every task)
   */
  timeoutMs?: number | undefined;
}

/** What `drain()` resolves with. */
export interface DrainReport {
  /** True when every task settled before the deadline. */
  completed: boolean;
  /** Names of the tasks still running or queued at the deadline. */
  abandoned: string[];
}

/** Gauges and counts of one middleware instance since it was created. */
export interface TaskStats extends RunSummary {
  /** Tasks added and not yet started, cancelled or skipped. */
  queued: number;
  /** Tasks running now. */
  running: number;
}

/** What `currentTask()` returns inside a running task. */
export interface CurrentTask {
  /** The task's name. */
  name: string;
  /** Aborts when the task times out or a drain deadline passes. */
  signal: AbortSignal;
  /** The request, or undefined for a standalone queue. */
  req: Request | undefined;
  /** The response, or undefined for a standalone queue. */
  res: Response | undefined;
}
