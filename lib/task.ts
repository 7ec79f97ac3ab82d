import { AsyncResource } from 'node:async_hooks';
import type { Request, Response } from 'express';
import { callAsTask } from './current-task.js';
import type {
  CurrentTask,
  RunPolicy,
  TaskHandle,
  TaskStatus,
} from './types.js';

/** A task function; its arguments are checked against `add()`'s. */
// biome-ignore lint/suspicious/noExplicitAny: parameters are inferred per call
export type TaskFunction<Args extends any[]> = (...args: Args) => unknown;

/** A task's options, with the queue's defaults applied. */
export interface TaskSettings {
  name: string | undefined;
  when: RunPolicy;
  timeoutMs: number | undefined;
}

/** What a task needs from the queue that owns it. */
export interface TaskOwner {
  readonly req: Request | undefined;
  readonly res: Response | undefined;
  cancelTask(task: Task): boolean;
}

/** The owner of a finished task: no request, nothing left to cancel. */
const finishedOwner: TaskOwner = {
  req: undefined,
  res: undefined,
  cancelTask: () => false,
};

/**
 * One queued call. It is both the handle that `add()` returns and what
 * `currentTask()` returns while it runs, so a task costs one object.
 */
export class Task implements TaskHandle, CurrentTask {
  status: TaskStatus = 'queued';
  readonly name: string;
  readonly when: RunPolicy;
  readonly timeoutMs: number | undefined;
  #fn: TaskFunction<unknown[]> | undefined;
  #args: unknown[] | undefined;
  /** Carries the async context of the `add()` call into the task. */
  #context: AsyncResource | undefined;
  #controller: AbortController | undefined;
  #owner: TaskOwner;

  constructor(
    owner: TaskOwner,
    fn: TaskFunction<unknown[]>,
    args: unknown[],
    settings: TaskSettings,
  ) {
    this.#owner = owner;
    this.#fn = fn;
    this.#args = args;
    this.name = settings.name ?? (fn.name || 'anonymous');
    this.when = settings.when;
    this.timeoutMs = settings.timeoutMs;
    this.#context = new AsyncResource('BackgroundTask');
  }

  get req(): Request | undefined {
    return this.#owner.req;
  }

  get res(): Response | undefined {
    return this.#owner.res;
  }

  /** Created on first use: most tasks never look at their signal. */
  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  cancel(): boolean {
    return this.#owner.cancelTask(this);
  }

  /** Runs the task in the async context of its `add()` call. */
  invoke(): unknown {
    const fn = this.#fn as TaskFunction<unknown[]>;
    const args = this.#args as unknown[];
    const context = this.#context as AsyncResource;
    this.#fn = undefined;
    this.#args = undefined;
    this.#context = undefined;
    return context.runInAsyncScope(callAsTask, undefined, this, fn, args);
  }

  /** Aborts the task's signal, for a timeout or a drain deadline. */
  abort(reason: unknown): void {
    this.#controller ??= new AbortController();
    this.#controller.abort(reason);
  }

  /**
   * Lets go of the call and of the queue once the task is over. Promises
   * made inside the task carry it as their async context, and one of them
   * may outlive the task: this keeps that from retaining the request.
   */
  release(): void {
    this.#fn = undefined;
    this.#args = undefined;
    this.#context = undefined;
    this.#owner = finishedOwner;
  }
}
