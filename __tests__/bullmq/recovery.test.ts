import type { Job, Queue, Worker } from 'bullmq';
import request from 'supertest';
import { bullmqTransport, createWorker } from '../../lib/bullmq.js';
import { defineTask } from '../../lib/index.js';
import { slowReport } from '../fixtures/tasks.js';
import { buildApp, deferred } from '../helpers/app.js';
import {
  type Child,
  connection,
  openQueue,
  removeQueue,
  startFixture,
} from '../helpers/redis.js';

jest.setTimeout(20_000);

/** Sends one request whose route adds `task(...args)`; waits for the enqueue. */
async function enqueueThroughApp<Args extends unknown[]>(
  queue: Queue,
  task: (...args: Args) => unknown,
  ...args: Args
): Promise<void> {
  const { app, tasks } = buildApp(
    (app) => {
      app.post('/', (_req, res) => {
        res.locals.tasks.add(task, ...args);
        res.status(202).end();
      });
    },
    { transport: bullmqTransport(queue) },
  );
  await request(app).post('/').expect(202);
  await tasks.drain();
}

describe('a worker killed in the middle of a job', () => {
  let queue: Queue;
  const workers: Child[] = [];

  beforeEach(async () => {
    queue = await openQueue('stalled');
  });
  afterEach(async () => {
    for (const worker of workers.splice(0)) {
      worker.kill();
      await worker.exited;
    }
    await removeQueue(queue);
  });

  it('loses no job: another worker completes it', async () => {
    const short = { QUEUE: queue.name, LOCK_MS: '1000' };
    const first = startFixture('worker', { ...short, HANG: '1' });
    workers.push(first);
    await first.next('ready');

    await enqueueThroughApp(queue, slowReport, 'nightly');
    const started = await first.next('started');
    first.kill('SIGKILL');
    await first.exited;
    const second = startFixture('worker', short);
    workers.push(second);
    const completed = await second.next('completed', 15_000);

    expect(started).toMatchObject({ label: 'nightly' });
    expect(completed).toMatchObject({
      data: ['nightly'],
      result: `nightly by ${second.process.pid}`,
    });
    expect(await queue.getJobCounts('completed', 'failed')).toEqual({
      completed: 1,
      failed: 0,
    });
  });
});

describe('retries', () => {
  let queue: Queue;
  let worker: Worker | undefined;

  beforeEach(async () => {
    queue = await openQueue('retries');
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await removeQueue(queue);
  });

  it('retries per attempts and backoff until the task succeeds', async () => {
    const calledAt: number[] = [];
    const flaky = defineTask(
      'flaky',
      (orderId: number) => {
        calledAt.push(Date.now());
        if (calledAt.length < 3) throw new Error(`try ${calledAt.length}`);
        return `sent ${orderId}`;
      },
      { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
    );
    const errors: [string, number, boolean][] = [];
    const done = deferred<[Job, unknown]>();
    worker = createWorker(queue.name, [flaky], {
      connection: { ...connection, maxRetriesPerRequest: null },
      onError: (error, { attemptsMade, final }) => {
        errors.push([error.message, attemptsMade, final]);
      },
    });
    worker.on('completed', (job, result) => done.resolve([job, result]));

    await enqueueThroughApp(queue, flaky, 42);
    const [job, result] = await done.promise;

    expect(result).toBe('sent 42');
    expect(job.attemptsMade).toBe(3);
    expect(errors).toEqual([
      ['try 1', 1, false],
      ['try 2', 2, false],
    ]);
    const gaps = calledAt.slice(1).map((at, i) => at - (calledAt[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(90);
  });

  it('fails for good after the last attempt, told to onError', async () => {
    const doomed = defineTask(
      'doomed',
      () => {
        throw new Error('always');
      },
      { attempts: 2 },
    );
    const errors: [string, string, number, boolean][] = [];
    const gaveUp = deferred<Job | undefined>();
    worker = createWorker(queue.name, [doomed], {
      connection: { ...connection, maxRetriesPerRequest: null },
      onError: (error, { task, job, attemptsMade, final }) => {
        errors.push([task, error.message, attemptsMade, final]);
        if (final) gaveUp.resolve(job);
      },
    });

    await enqueueThroughApp(queue, doomed);
    const job = await gaveUp.promise;

    expect(errors).toEqual([
      ['doomed', 'always', 1, false],
      ['doomed', 'always', 2, true],
    ]);
    expect(await queue.getJobState(job?.id as string)).toBe('failed');
    expect((await queue.getJob(job?.id as string))?.failedReason).toBe(
      'always',
    );
  });

  it('fails a job whose name no task of the worker has', async () => {
    const known = defineTask('known', () => {});
    const failed = deferred<[Error, boolean]>();
    worker = createWorker(queue.name, [known], {
      connection: { ...connection, maxRetriesPerRequest: null },
      onError: (error, { final }) => failed.resolve([error, final]),
    });

    await queue.add('retired', []);
    const [error, final] = await failed.promise;

    expect(error.message).toBe('Unknown task "retired"');
    expect(final).toBe(true);
  });

  it('writes a failed attempt to stderr without an onError', async () => {
    const lines = deferred<unknown[]>();
    const spy = jest
      .spyOn(console, 'error')
      .mockImplementation((...line) => lines.resolve(line));
    try {
      worker = createWorker(queue.name, [defineTask('known', () => {})], {
        connection: { ...connection, maxRetriesPerRequest: null },
      });
      const job = await queue.add('retired', [], { attempts: 2 });

      expect(await lines.promise).toEqual([
        `express-background-tasks: job ${job.id} of task "retired" ` +
          'failed (attempt 1 of 2, will retry):',
        new Error('Unknown task "retired"'),
      ]);
    } finally {
      await worker?.close();
      spy.mockRestore();
    }
  });
});
