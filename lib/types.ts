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
  /**
   * Job options for this call of a `defineTask()` task, merged over the
   * task's defaults; refused for a plain function.
   *
   * @default the task's defaults
   */
  job?: JobOverrides | undefined;
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
  /**
   * Where `defineTask()` tasks go instead of running in-process, such as
   * `bullmqTransport(queue)`. Plain functions always run in-process.
   *
   * @default undefined (every task runs in-process)
   */
  transport?: TaskTransport | undefined;
  /**
   * What happens to a defined task whose enqueue fails, after `onError`
   * has been told: `'run-locally'` runs it in-process instead, `'report'`
   * ends it as `failed`.
   *
   * @default 'run-locally'
   */
  onEnqueueError?: EnqueueErrorPolicy | undefined;
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

/** What to do with a defined task that could not be enqueued. */
export type EnqueueErrorPolicy = 'run-locally' | 'report';

/**
 * Hands named tasks to a job queue. The core knows only this method:
 * `bullmqTransport()` (from `express-background-tasks/bullmq`) is one.
 */
export interface TaskTransport {
  /**
   * Enqueues one job. A rejection is reported to `onError` and handled
   * per `onEnqueueError`.
   *
   * @param name - the task's name, which workers look the task up by.
   * @param args - the task's arguments, checked to survive JSON.
   * @param jobOptions - the task's defaults merged with the call's `job`.
   */
  enqueue(
    name: string,
    args: unknown[],
    jobOptions: JobOptions,
  ): Promise<unknown>;
}

/** A retry schedule, as BullMQ reads it. */
export interface JobBackoff {
  /** `'fixed'` waits `delay` each time; `'exponential'` doubles it. */
  type: 'fixed' | 'exponential' | (string & {});
  /**
   * Milliseconds before the first retry.
   *
   * @default 0
   */
  delay?: number | undefined;
  /**
   * A random share, from 0 to 1, taken off each wait.
   *
   * @default 0
   */
  jitter?: number | undefined;
}

/**
 * Job options that every job of a defined task starts from. The listed
 * ones are checked by `defineTask()`; any other BullMQ job option (such
 * as `removeOnComplete`) is passed through as given.
 */
export interface JobDefaults {
  /**
   * How many times the job may run, the first attempt included.
   *
   * @default 1
   */
  attempts?: number | undefined;
  /**
   * The wait before a retry: milliseconds, or a `JobBackoff`.
   *
   * @default 0 (retry at once)
   */
  backoff?: number | JobBackoff | undefined;
  /**
   * Milliseconds to wait before the job may run.
   *
   * @default 0
   */
  delay?: number | undefined;
  /**
   * 1 is the highest priority, 2097151 the lowest; 0 means none, and
   * jobs without one run before prioritized jobs.
   *
   * @default 0
   */
  priority?: number | undefined;
  /** Any other BullMQ job option, passed through unchecked. */
  [option: string]: unknown;
}

/** Job options for one `add()` call of a defined task. */
export interface JobOverrides {
  /**
   * A unique id: while a job with this id exists, enqueuing it again does
   * nothing, which makes the enqueue idempotent. Not a whole number, and
   * without `:` (BullMQ refuses both).
   *
   * @default undefined (BullMQ numbers the job)
   */
  jobId?: string | undefined;
  /**
   * Milliseconds to wait before the job may run.
   *
   * @default the task's `delay`
   */
  delay?: number | undefined;
  /**
   * 1 is the highest priority, 2097151 the lowest; 0 means none.
   *
   * @default the task's `priority`
   */
  priority?: number | undefined;
}

/** What a transport receives: the defaults with the call's overrides. */
export type JobOptions = JobDefaults & JobOverrides;

/**
 * A task made by `defineTask()`: callable like its function, with a name
 * that workers find it by and the job options its jobs start from.
 */
export interface DefinedTask<Args extends unknown[] = never, Result = unknown> {
  (...args: Args): Result;
  /** The task's name; with a transport, the job's name. */
  readonly name: string;
  /** The job options every job of this task starts from. */
  readonly defaults: Readonly<JobDefaults>;
}
