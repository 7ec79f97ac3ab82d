import { clearTimeout, setTimeout as startTimer } from 'node:timers';
import { currentTask } from './current-task.js';
import { TaskQueueFullError } from './errors.js';
import type { QueueConfig } from './options.js';
import type { DrainReport, TaskStats } from './types.js';

/** What the scheduler needs from a queue to abandon it at a deadline. */
export interface Abandonable {
  /** Aborts the running task, cancels the queued ones; returns names. */
  abandon(): string[];
  /** Whether `task` is the queue's running task. */
  isRunning(task: unknown): boolean;
}

/** A queue's place in the scheduler's list of queues that have tasks. */
export interface ActiveLink {
  readonly queue: Abandonable;
  previous: ActiveLink | undefined;
  next: ActiveLink | undefined;
}

/** The scheduler's settings: a queue's, plus the instance-wide limits. */
export interface SchedulerConfig extends QueueConfig {
  concurrency: number;
  maxQueued: number;
}

type Outcome = 'succeeded' | 'failed' | 'timedOut' | 'skipped' | 'cancelled';

/**
 * The state that all queues of one middleware instance share: counters,
 * the concurrency limit, and who waits for `drain()`. Queues of another
 * instance never see it.
 */
export class Scheduler {
  readonly config: SchedulerConfig;
  readonly #stats: TaskStats = {
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    timedOut: 0,
    skipped: 0,
    cancelled: 0,
  };
  /**
   * Queues that have queued or running tasks, oldest first. A linked list,
   * not a Set: a Set hashes each new queue, which cost as much as the rest
   * of the scheduling of a request's one task (measured by npm run bench).
   */
  #first: ActiveLink | undefined;
  #last: ActiveLink | undefined;
  readonly #slotWaiters: (() => void)[] = [];
  #slotsInUse = 0;
  readonly #idleWaiters = new Set<(report: DrainReport) => void>();

  constructor(config: SchedulerConfig) {
    this.config = config;
  }

  /** A snapshot of the gauges and counters. */
  stats(): TaskStats {
    return { ...this.#stats };
  }

  /** Counts a new task, or throws when `maxQueued` are already waiting. */
  taskAdded(): void {
    const { maxQueued } = this.config;
    if (this.#stats.queued >= maxQueued) {
      throw new TaskQueueFullError(maxQueued);
    }
    this.#stats.queued++;
  }

  taskStarted(): void {
    this.#stats.queued--;
    this.#stats.running++;
  }

  /** Counts a task that ran and is finished, whatever its outcome. */
  taskEnded(outcome: Outcome): void {
    this.#stats.running--;
    this.#stats[outcome]++;
    this.#resolveIfIdle();
  }

  /** Counts a queued task that will never run. */
  taskDropped(outcome: 'skipped' | 'cancelled'): void {
    this.#stats.queued--;
    this.#stats[outcome]++;
    this.#resolveIfIdle();
  }

  /** Lists `queue` until `deactivate()` is called with the link. */
  activate(queue: Abandonable): ActiveLink {
    const link: ActiveLink = { queue, previous: this.#last, next: undefined };
    if (this.#last) this.#last.next = link;
    else this.#first = link;
    this.#last = link;
    return link;
  }

  deactivate(link: ActiveLink): void {
    const { previous, next } = link;
    if (previous) previous.next = next;
    else this.#first = next;
    if (next) next.previous = previous;
    else this.#last = previous;
  }

  /**
   * Takes a slot under `concurrency`: undefined when one is free now, else
   * a promise that resolves when one is handed over, in arrival order.
   */
  acquireSlot(): Promise<void> | undefined {
    if (this.#slotsInUse < this.config.concurrency) {
      this.#slotsInUse++;
      return undefined;
    }
    return new Promise((resolve) => this.#slotWaiters.push(resolve));
  }

  releaseSlot(): void {
    const next = this.#slotWaiters.shift();
    if (next) next();
    else this.#slotsInUse--;
  }

  /**
   * Resolves once no task is queued or running; with `timeoutMs`, at that
   * deadline at the latest, abandoning what is left.
   */
  drain(timeoutMs: number | undefined): Promise<DrainReport> {
    this.#refuseFromOwnTask();
    if (this.#isIdle()) return Promise.resolve(completedReport());

    return new Promise((resolve) => {
      if (timeoutMs === undefined) {
        this.#idleWaiters.add(resolve);
        return;
      }
      const timer = startTimer(() => this.#onDeadline(), timeoutMs);
      this.#idleWaiters.add((report) => {
        clearTimeout(timer);
        resolve(report);
      });
    });
  }

  /**
   * A deadline passed: every waiting drain learns what was abandoned, as
   * the tasks it waited for are cancelled or let go of.
   */
  #onDeadline(): void {
    // Take the waiters first: cancelling queued tasks may make the
    // scheduler idle, which must not report the drains as completed.
    const waiters = [...this.#idleWaiters];
    this.#idleWaiters.clear();
    const report = this.#abandonAll();
    for (const resolve of waiters) resolve(report);
  }

  /** A task that waits for its own drain would wait forever. */
  #refuseFromOwnTask(): void {
    const task = currentTask();
    if (!task) return;
    for (let link = this.#first; link; link = link.next) {
      if (link.queue.isRunning(task)) {
        throw new Error(
          `drain() was called from inside task "${task.name}" of the ` +
            'same middleware, which would wait for itself forever',
        );
      }
    }
  }

  #abandonAll(): DrainReport {
    const abandoned: string[] = [];
    // Abandoning a queue unlists it: collect them all first.
    const queues: Abandonable[] = [];
    for (let link = this.#first; link; link = link.next) {
      queues.push(link.queue);
    }
    for (const queue of queues) abandoned.push(...queue.abandon());
    return { completed: false, abandoned };
  }

  #isIdle(): boolean {
    return this.#stats.queued === 0 && this.#stats.running === 0;
  }

  #resolveIfIdle(): void {
    if (this.#idleWaiters.size === 0 || !this.#isIdle()) return;
    for (const resolve of [...this.#idleWaiters]) resolve(completedReport());
    this.#idleWaiters.clear();
  }
}

function completedReport(): DrainReport {
  return { completed: true, abandoned: [] };
}
