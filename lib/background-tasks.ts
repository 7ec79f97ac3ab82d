import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers';
import type { Request, Response } from 'express';
import { currentTask } from './current-task.js';
import { describeValue } from './describe.js';
import { taskToRun } from './hand-off.js';
import { callHook, isThenable } from './hooks.js';
import {
  parseQueueOptions,
  parseTaskOptions,
  type QueueConfig,
} from './options.js';
import { type Ending, watchOutcome } from './outcome.js';
import { type ActiveLink, Scheduler } from './scheduler.js';
import { Task, type TaskFunction } from './task.js';
import { TaskList } from './task-list.js';
import type {
  ErrorContext,
  QueueOptions,
  RunSummary,
  TaskEvent,
  TaskHandle,
  TaskOptions,
} from './types.js';

/** What ties a queue to its request and its middleware instance. */
export interface RequestBinding {
  scheduler: Scheduler;
  req: Request;
  res: Response;
}

const noTaskOptions: TaskOptions = {};
/** What the run loop chains its first step on. */
const resolved = Promise.resolve();

/**
 * How long a queue may run tasks back to back before it lets timers and
 * I/O in. Tasks that resolve at once never leave the microtask queue, so
 * without this a queue that keeps adding work would starve the process.
 */
const turnMs = 10;

/**
 * A queue of calls that run one at a time, in order. The middleware gives
 * every request one as `res.locals.tasks` and runs it after the response;
 * on its own, call `runAll()` to run what was added.
 *
 * @example
 * const tasks = new BackgroundTasks({ onError: (error) => log(error) });
 * tasks.add(sendReceipt, orderId);
 * const summary = await tasks.runAll();
 */
export class BackgroundTasks {
  readonly #scheduler: Scheduler;
  readonly #config: QueueConfig;
  readonly #req: Request | undefined;
  readonly #res: Response | undefined;
  readonly #waiting = new TaskList();
  #current: Task | undefined;
  /** True from the start of a run until the queue is empty. */
  #running = false;
  #turnStartedAt = 0;
  /** What `runAll()` returned during this run, and how to resolve it. */
  #draining: Promise<RunSummary> | undefined;
  #resolveDraining: ((summary: RunSummary) => void) | undefined;
  /** Set while the queue has tasks: how the scheduler lists it. */
  #activeLink: ActiveLink | undefined;
  #watching = false;
  #responseClosed = false;
  #aborted = false;
  #stopped = false;
  readonly #summary: RunSummary = {
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    skipped: 0,
    cancelled: 0,
  };

  /**
   * Creates a standalone queue, outside Express.
   *
   * @throws TypeError or RangeError for an invalid or unknown option.
   */
  constructor(options?: QueueOptions);
  /** @internal The middleware's way in: options were already checked. */
  constructor(options: undefined, binding: RequestBinding);
  constructor(options?: QueueOptions, binding?: RequestBinding) {
    this.#scheduler =
      binding?.scheduler ??
      new Scheduler({
        ...parseQueueOptions(options),
        concurrency: Number.POSITIVE_INFINITY,
        maxQueued: Number.POSITIVE_INFINITY,
      });
    this.#config = this.#scheduler.config;
    this.#req = binding?.req;
    this.#res = binding?.res;
  }

  /** Tasks added and not yet started, cancelled or skipped. */
  get size(): number {
    return this.#waiting.size;
  }

  /** @internal */
  get req(): Request | undefined {
    return this.#req;
  }

  /** @internal */
  get res(): Response | undefined {
    return this.#res;
  }

  /**
   * Queues `fn(...args)` to run after the response has been sent.
   *
   * @returns a handle with the task's name, live status and `cancel()`.
   * @throws TypeError when `fn` is not a function.
   * @throws TaskQueueFullError when `maxQueued` tasks are already waiting.
   */
  add<Args extends unknown[]>(
    fn: (...args: Args) => unknown,
    ...args: Args
  ): TaskHandle;
  /**
   * Queues `fn(...args)` with per-task options.
   *
   * @throws TypeError or RangeError for an invalid task option.
   */
  add<Args extends unknown[]>(
    options: TaskOptions,
    fn: (...args: Args) => unknown,
    ...args: Args
  ): TaskHandle;
  add(first: unknown, ...rest: unknown[]): TaskHandle {
    if (typeof first === 'function') {
      return this.#enqueue(first as TaskFunction<unknown[]>, rest, undefined);
    }

    const options = readTaskOptions(first);
    const [fn, ...args] = rest;
    if (typeof fn !== 'function') {
      throw new TypeError(
        `add(): the task after the options must be a function, ` +
          `received ${describeValue(fn)}`,
      );
    }
    return this.#enqueue(fn as TaskFunction<unknown[]>, args, options);
  }

  /**
   * Cancels every queued task; a running task is not touched.
   *
   * @returns how many tasks were cancelled.
   */
  clear(): number {
    let cancelled = 0;
    for (const task of this.#waiting.waiting()) {
      if (this.cancelTask(task)) cancelled++;
    }
    return cancelled;
  }

  /**
   * Runs every queued task now, in order, and resolves with how the
   * queue's tasks have ended so far. It never rejects: failures go to
   * `onError`, which has been called for each of them by then.
   *
   * @throws Error for a request's queue before its response has closed,
   *   and from inside one of the queue's own tasks.
   */
  runAll(): Promise<RunSummary> {
    if (this.#res && !this.#responseClosed) {
      throw new Error(
        "runAll() was called before the response closed: a request's " +
          'tasks run after the response, and the middleware starts them',
      );
    }
    if (this.#current && this.#current === currentTask()) {
      throw new Error(
        `runAll() was called from inside task "${this.#current.name}" ` +
          'of the same queue, which would wait for itself forever',
      );
    }
    this.#draining ??= new Promise((resolve) => {
      this.#resolveDraining = resolve;
    });
    this.#startRun();
    return this.#draining;
  }

  /** @internal The handle's `cancel()`. */
  cancelTask(task: Task): boolean {
    if (task.status !== 'queued') return false;

    this.#drop(task, 'cancelled');
    this.#waiting.cancelled();
    this.#deactivateIfIdle();
    return true;
  }

  /** @internal Whether this queue belongs to that middleware instance. */
  ownedBy(scheduler: Scheduler): boolean {
    return this.#scheduler === scheduler;
  }

  /** @internal Whether `task` is this queue's running task. */
  isRunning(task: unknown): boolean {
    return task !== undefined && this.#current === task;
  }

  /**
   * @internal Reports an enqueue failure of a transported task; it is
   * called from inside that task, so already in its async context.
   */
  reportError(name: string, error: unknown): void {
    const { onError } = this.#config;
    callHook('onError', name, onError, error, this.#errorContext(name));
  }

  /** @internal A drain deadline passed: let go of every task. */
  abandon(): string[] {
    const names: string[] = [];
    if (this.#current) {
      names.push(this.#current.name);
      this.#current.abort(undefined);
    }
    for (const task of this.#waiting.waiting()) {
      if (this.cancelTask(task)) names.push(task.name);
    }
    return names;
  }

  #enqueue(
    fn: TaskFunction<unknown[]>,
    args: unknown[],
    options: TaskOptions = noTaskOptions,
  ): TaskHandle {
    const run = taskToRun(fn, args, options, this.#config, this);
    const task = new Task(this, run, args, {
      // A transported task runs as its hand-off, named after the task.
      name: run === fn ? options.name : fn.name,
      when: options.when ?? this.#config.when,
      timeoutMs: options.timeoutMs ?? this.#config.timeoutMs,
    });
    // Counted only once nothing else can throw: a refused task leaves no
    // trace in the stats or in maxQueued.
    this.#scheduler.taskAdded();
    this.#waiting.push(task);

    this.#activeLink ??= this.#scheduler.activate(this);
    if (this.#responseClosed) this.#startRun();
    else if (!this.#watching) this.#watchResponse();
    return task;
  }

  /** One listener, added with the first task: requests without any cost
   * nothing. 'close' fires once for every response, finished or not. */
  #watchResponse(): void {
    const res = this.#res;
    if (!res) return;

    this.#watching = true;
    if (res.closed) this.#onResponseClosed();
    else res.on('close', () => this.#onResponseClosed());
  }

  #onResponseClosed(): void {
    const res = this.#res as Response;
    this.#responseClosed = true;
    // Node 20 and 22 still call a response finished when the client reset
    // the connection before the body was delivered; the socket knows.
    this.#aborted = !res.writableFinished || isErrored(this.#req?.socket);
    if (this.#waiting.size > 0) this.#startRun();
  }

  #startRun(): void {
    if (this.#running) return;
    this.#running = true;
    // Start on a later microtask: never inside the caller, which may be
    // the response's 'close' listener, nor while res.end() is running.
    // A promise, not queueMicrotask(), which fake timers freeze.
    void resolved.then(() => this.#startTurn());
  }

  #startTurn(): void {
    this.#turnStartedAt = performance.now();
    this.#runTasks();
  }

  /**
   * Runs the queued tasks one after another: in this loop while they end
   * synchronously, else on from the callback that settles the task or
   * hands over a slot. No async function or promise per task: on Node 20,
   * once an AsyncLocalStorage is on, every promise costs an async hook.
   */
  #runTasks(): void {
    while (this.#waiting.size > 0) {
      const slot = this.#scheduler.acquireSlot();
      if (slot) {
        void slot.then(() => this.#resumeInSlot());
        return;
      }
      if (!this.#runInSlot()) return;
      if (this.#turnIsOver()) return;
    }
    this.#endRun();
  }

  /** A slot was handed over: run the next task in it, then go on. */
  #resumeInSlot(): void {
    if (this.#runInSlot()) this.#runNext();
  }

  /** Runs the next task in a slot already taken: false while it runs on. */
  #runInSlot(): boolean {
    const task = this.#waiting.shift();
    if (task && this.#start(task)) return false;
    this.#scheduler.releaseSlot();
    return true;
  }

  /** After a task: runs the rest now, or on the next turn. */
  #runNext(): void {
    if (!this.#turnIsOver()) this.#runTasks();
  }

  /**
   * True, with the next turn scheduled, once tasks remain after a turn of
   * more than `turnMs`.
   */
  #turnIsOver(): boolean {
    if (this.#waiting.size === 0) return false;
    if (performance.now() - this.#turnStartedAt <= turnMs) return false;
    nextTurn(() => this.#startTurn());
    return true;
  }

  #endRun(): void {
    const resolveDraining = this.#resolveDraining;
    this.#running = false;
    this.#draining = undefined;
    this.#resolveDraining = undefined;
    this.#deactivateIfIdle();
    resolveDraining?.({ ...this.#summary });
  }

  /** Starts `task`: true when it returned a promise, still to settle. */
  #start(task: Task): boolean {
    if (this.#shouldSkip(task)) {
      this.#drop(task, 'skipped');
      return false;
    }

    task.status = 'running';
    this.#current = task;
    this.#scheduler.taskStarted();
    // Only onTaskEnd reads the start time, and the clock is not free.
    const startedAt = this.#config.onTaskEnd ? performance.now() : 0;
    this.#emit('onTaskStart', task, startedAt);

    let result: unknown;
    try {
      result = task.invoke();
      if (isThenable(result)) {
        return this.#settleLater(task, result, startedAt);
      }
    } catch (error) {
      this.#finish(task, 'failed', error, startedAt);
      return false;
    }
    this.#finish(task, 'succeeded', undefined, startedAt);
    return false;
  }

  /**
   * Ends the task when its promise settles or its time is up, then runs
   * the rest of the queue.
   *
   * @returns true while the task still runs; false if it failed at once.
   */
  #settleLater(
    task: Task,
    result: PromiseLike<unknown>,
    startedAt: number,
  ): boolean {
    return watchOutcome(task, result, (ending, error, late) => {
      this.#finish(task, ending, error, startedAt);
      // Settled before watchOutcome() returned (a `then` that threw): the
      // caller's loop goes on, rather than a nested loop for each task.
      if (!late) return;
      this.#scheduler.releaseSlot();
      this.#runNext();
    });
  }

  #shouldSkip(task: Task): boolean {
    if (this.#stopped) return true;
    if (task.when === 'always' || !this.#res) return false;

    // A request's tasks only run once its response has closed, so
    // `#aborted` already says whether it finished.
    return this.#aborted || this.#res.statusCode >= 400;
  }

  #finish(task: Task, ending: Ending, error: unknown, startedAt: number): void {
    task.status = ending;
    this.#current = undefined;
    this.#summary[ending]++;

    const failed = ending === 'failed' || ending === 'timedOut';
    if (failed) {
      if (this.#config.stopOnError) this.#stopped = true;
      this.#reportError(task, error);
    }
    this.#emit('onTaskEnd', task, startedAt, failed, error);
    task.release();
    this.#scheduler.taskEnded(ending);
  }

  #drop(task: Task, ending: 'skipped' | 'cancelled'): void {
    task.status = ending;
    task.release();
    this.#summary[ending]++;
    this.#scheduler.taskDropped(ending);
  }

  #reportError(task: Task, error: unknown): void {
    const { onError } = this.#config;
    const context = this.#errorContext(task.name);
    task.inContext(callHook, 'onError', task.name, onError, error, context);
  }

  #errorContext(name: string): ErrorContext {
    const res = this.#res;
    return {
      task: name,
      aborted: this.#aborted,
      req: this.#req,
      res,
      statusCode: res?.statusCode,
    };
  }

  #emit(
    hookName: 'onTaskStart' | 'onTaskEnd',
    task: Task,
    startedAt: number,
    failed = false,
    error?: unknown,
  ): void {
    const hook = this.#config[hookName];
    if (!hook) return;

    const event: TaskEvent = {
      name: task.name,
      req: this.#req,
      res: this.#res,
      status: task.status,
      durationMs: task.status === 'running' ? 0 : performance.now() - startedAt,
    };
    if (failed) event.error = error;
    task.inContext(callHook, hookName, task.name, hook, event);
  }

  #deactivateIfIdle(): void {
    if (!this.#activeLink || this.#waiting.size > 0 || this.#running) return;
    this.#scheduler.deactivate(this.#activeLink);
    this.#activeLink = undefined;
  }
}

function isErrored(socket: { errored?: Error | null } | undefined): boolean {
  return Boolean(socket?.errored);
}

function readTaskOptions(value: unknown): TaskOptions {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return parseTaskOptions(value);
  }
  throw new TypeError(
    'add(): the first argument must be a task function or an options ' +
      `object, received ${describeValue(value)}`,
  );
}

declare global {
  namespace Express {
    /** Types `res.locals.tasks` for every route. */
    interface Locals {
      /** This request's background tasks (under the default `key`). */
      tasks: BackgroundTasks;
    }
  }
}
