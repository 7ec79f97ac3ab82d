import { clearTimeout, setTimeout as startTimer } from 'node:timers';
import type { JobsOptions, Queue } from 'bullmq';
import { describeValue } from '../describe.js';
import { readOptions } from '../read-options.js';
import type { JobOptions, TaskTransport } from '../types.js';

/** Options of `bullmqTransport()`. */
export interface BullmqTransportOptions {
  /**
   * Milliseconds an enqueue may take before it counts as failed and
   * `onEnqueueError` applies. While Redis is down, BullMQ's `add()` waits
   * for it to come back; this bound makes the fallback happen. The add is
   * not withdrawn: if Redis takes it later, the job runs as well.
   * `Infinity` waits as long as the queue's connection does.
   *
   * @default 5000
   */
  timeoutMs?: number | undefined;
}

const defaultTimeoutMs = 5000;
const maxTimerMs = 2_147_483_647;

/** The part of a BullMQ `Queue` that the transport uses. */
type JobQueue = Pick<Queue, 'add'>;

/**
 * Makes a transport that adds each defined task to `queue` as a job named
 * after the task, with its arguments as `job.data`. Pass it as the
 * `transport` option of `backgroundTasks()`.
 *
 * @example
 * const queue = new Queue('tasks', { connection: { host: 'redis' } });
 * app.use(backgroundTasks({ transport: bullmqTransport(queue) }));
 *
 * @throws TypeError for something that is not a queue, or a bad option.
 */
export function bullmqTransport(
  queue: Queue,
  options?: BullmqTransportOptions,
): TaskTransport {
  const where = 'bullmqTransport()';
  if (typeof (queue as Partial<JobQueue> | null)?.add !== 'function') {
    throw new TypeError(
      `${where}: the queue must be a BullMQ Queue, ` +
        `received ${describeValue(queue)}`,
    );
  }
  const timeoutMs = parseTimeout(where, options);

  return {
    enqueue(name: string, args: unknown[], jobOptions: JobOptions) {
      // Checked by the core; BullMQ reads an undefined option as unset.
      const added = queue.add(name, args, jobOptions as JobsOptions);
      return timeoutMs === Number.POSITIVE_INFINITY
        ? added
        : withDeadline(added, timeoutMs, name);
    },
  };
}

function parseTimeout(where: string, options: unknown): number {
  const { timeoutMs } = readOptions(where, options, ['timeoutMs']);
  if (timeoutMs === undefined) return defaultTimeoutMs;
  if (typeof timeoutMs !== 'number') {
    throw new TypeError(
      `${where}: option "timeoutMs" must be a number, ` +
        `received ${describeValue(timeoutMs)}`,
    );
  }
  const inRange = timeoutMs >= 1 && timeoutMs <= maxTimerMs;
  if (inRange || timeoutMs === Number.POSITIVE_INFINITY) return timeoutMs;
  throw new RangeError(
    `${where}: option "timeoutMs" must be from 1 to ${maxTimerMs} ` +
      `milliseconds or Infinity, received ${describeValue(timeoutMs)}`,
  );
}

function withDeadline<T>(
  added: Promise<T>,
  timeoutMs: number,
  name: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = startTimer(() => {
      reject(new Error(`BullMQ did not take job "${name}" in ${timeoutMs} ms`));
    }, timeoutMs);
    added.then(
      (job) => {
        clearTimeout(timer);
        resolve(job);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
