import { type Job, Worker, type WorkerOptions } from 'bullmq';
import { isDefinedTask } from '../define-task.js';
import { describeValue } from '../describe.js';
import { callHook } from '../hooks.js';
import { reportJobFailure } from '../report.js';
import type { DefinedTask } from '../types.js';

/** What a worker's `onError` learns about a failed attempt. */
export interface JobErrorContext {
  /** The job's name: the task's name. */
  task: string;
  /** The job, or undefined when BullMQ no longer has it. */
  job: Job<unknown[]> | undefined;
  /** Attempts made so far, this one included. */
  attemptsMade: number;
  /** True when the job has failed for good: no attempt is left. */
  final: boolean;
}

/** Called for each failed attempt of a job. */
export type JobErrorHook = (error: Error, context: JobErrorContext) => unknown;

/** BullMQ's `WorkerOptions`, plus the error hook. */
export interface CreateWorkerOptions extends WorkerOptions {
  /**
   * Receives every failed attempt, with `final` telling whether BullMQ
   * will retry. Errors it throws are written to stderr.
   *
   * @default writes one line naming the task, job and attempt, then the
   *   stack, to stderr
   */
  onError?: JobErrorHook | undefined;
}

/**
 * Starts a BullMQ `Worker` on `queueName` that runs each job with the
 * defined task of the same name, called with `job.data` as arguments. The
 * task's result becomes the job's return value; a throw fails the attempt,
 * which BullMQ retries per the job's `attempts` and `backoff`.
 *
 * @example
 * const worker = createWorker('tasks', [sendReceipt], {
 *   connection: { host: 'redis' },
 * });
 * process.on('SIGTERM', () => worker.close());
 *
 * @throws TypeError for a bad queue name, a task that is not from
 *   `defineTask()`, or two tasks with one name.
 */
export function createWorker(
  queueName: string,
  tasks: readonly DefinedTask[],
  workerOptions: CreateWorkerOptions,
): Worker<unknown[]> {
  if (typeof queueName !== 'string' || queueName === '') {
    throw new TypeError(
      'createWorker(): the queue name must be a non-empty string, ' +
        `received ${describeValue(queueName)}`,
    );
  }
  const byName = indexTasks(tasks);
  const { onError = reportDefault, ...options } = workerOptions ?? {};

  const worker = new Worker<unknown[]>(
    queueName,
    (job) => runJob(byName, job),
    options,
  );
  worker.on('failed', (job, error) => {
    const task = job?.name ?? 'unknown';
    callHook('onError', task, onError, error, describeFailure(task, job));
  });
  return worker;
}

function indexTasks(tasks: unknown): Map<string, DefinedTask<unknown[]>> {
  if (!Array.isArray(tasks) || tasks.length === 0) {
    throw new TypeError(
      'createWorker(): tasks must be a non-empty array of defineTask() ' +
        `results, received ${describeValue(tasks)}`,
    );
  }

  const byName = new Map<string, DefinedTask<unknown[]>>();
  tasks.forEach((task: unknown, index) => {
    if (!isDefinedTask(task)) {
      throw new TypeError(
        `createWorker(): tasks[${index}] must come from defineTask(), ` +
          `received ${describeValue(task)}`,
      );
    }
    if (byName.has(task.name)) {
      throw new TypeError(`createWorker(): two tasks are named "${task.name}"`);
    }
    byName.set(task.name, task as unknown as DefinedTask<unknown[]>);
  });
  return byName;
}

async function runJob(
  byName: Map<string, DefinedTask<unknown[]>>,
  job: Job<unknown[]>,
): Promise<unknown> {
  const task = byName.get(job.name);
  if (!task) throw new Error(`Unknown task "${job.name}"`);
  if (!Array.isArray(job.data)) {
    throw new TypeError(
      `Job data of task "${job.name}" must be its array of arguments, ` +
        `received ${describeValue(job.data)}`,
    );
  }
  return task(...job.data);
}

function describeFailure(
  task: string,
  job: Job<unknown[]> | undefined,
): JobErrorContext {
  return {
    task,
    job,
    attemptsMade: job?.attemptsMade ?? 0,
    // BullMQ stamps finishedOn only when the job has failed for good.
    final: job === undefined || typeof job.finishedOn === 'number',
  };
}

/** The default `onError`, through the package's one reporter. */
function reportDefault(error: Error, context: JobErrorContext): void {
  const { task, job, attemptsMade, final } = context;
  reportJobFailure(error, {
    task,
    jobId: job?.id,
    attemptsMade,
    attempts: job?.opts.attempts ?? 1,
    final,
  });
}
