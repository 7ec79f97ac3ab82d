import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import request from 'supertest';
import { bullmqTransport } from '../../lib/bullmq.js';
import {
  type BackgroundTasksOptions,
  type ErrorContext,
  TaskEnqueueError,
} from '../../lib/index.js';
import { recordOrder } from '../fixtures/tasks.js';
import { buildApp } from '../helpers/app.js';
import { closedPort, withDeadline } from '../helpers/redis.js';

jest.setTimeout(20_000);

type Failure = [unknown, ErrorContext];

/**
 * A queue whose Redis is not there. With `failFast`, commands fail at
 * once; without, the connection retries forever, as by default. The test
 * owns the client, so that it can stop the retrying.
 */
async function unreachableQueue(failFast: boolean): Promise<Queue> {
  const port = await closedPort();
  const client = new Redis(
    failFast
      ? {
          host: '127.0.0.1',
          port,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
          connectTimeout: 500,
          // Else its socket timer holds Jest open for 2 s after the tests.
          disconnectTimeout: 10,
        }
      : { host: '127.0.0.1', port, maxRetriesPerRequest: null },
  );
  client.on('error', () => {});
  const queue = new Queue('ebt-test-unreachable', { connection: client });
  queue.on('error', () => {});
  opened.push({ queue, client });
  return queue;
}

const opened: { queue: Queue; client: Redis }[] = [];

function orderApp(options: BackgroundTasksOptions) {
  return buildApp((app) => {
    app.post('/orders/:id', (req, res) => {
      const id = Number(req.params.id);
      res.locals.tasks.add(recordOrder, id, 'a@b.c', new Date(0));
      res.status(201).send(`order ${id}`);
    });
  }, options);
}

describe('Redis unreachable at enqueue time', () => {
  afterEach(async () => {
    for (const { queue, client } of opened.splice(0)) {
      await withDeadline(queue.close(), 5000, 'close hung');
      client.disconnect();
    }
  });

  it("runs the task in-process under 'run-locally' and tells onError", async () => {
    const queue = await unreachableQueue(true);
    const failures: Failure[] = [];
    const results: unknown[] = [];
    const { app, tasks } = orderApp({
      transport: bullmqTransport(queue),
      onError: (...failure) => failures.push(failure),
      onTaskEnd: ({ name, status }) => results.push([name, status]),
    });

    await request(app).post('/orders/1').expect(201, 'order 1');
    await request(app).post('/orders/2').expect(201, 'order 2');
    await tasks.drain();

    expect(failures).toHaveLength(2);
    const [error, context] = failures[0] as Failure;
    expect(error).toBeInstanceOf(TaskEnqueueError);
    expect(error).toMatchObject({ task: 'recordOrder', runsLocally: true });
    expect((error as Error).message).toMatch(/ECONNREFUSED|Stream/);
    expect(context).toMatchObject({ task: 'recordOrder', statusCode: 201 });
    expect(results).toEqual([
      ['recordOrder', 'succeeded'],
      ['recordOrder', 'succeeded'],
    ]);
  });

  it("reports and counts the task under 'report'; nothing runs", async () => {
    const queue = await unreachableQueue(true);
    const failures: Failure[] = [];
    const { app, tasks } = orderApp({
      transport: bullmqTransport(queue),
      onEnqueueError: 'report',
      onError: (...failure) => failures.push(failure),
    });

    await request(app).post('/orders/1').expect(201);
    await request(app).post('/orders/2').expect(201);
    await tasks.drain();

    expect(failures.map(([error]) => error)).toEqual([
      expect.objectContaining({ code: 'ERR_TASK_ENQUEUE', runsLocally: false }),
      expect.objectContaining({ code: 'ERR_TASK_ENQUEUE', runsLocally: false }),
    ]);
    expect(tasks.stats()).toMatchObject({ failed: 2, succeeded: 0 });
  });

  it('gives up after timeoutMs when the connection would wait for Redis', async () => {
    const queue = await unreachableQueue(false);
    const failures: Failure[] = [];
    const { app, tasks } = orderApp({
      transport: bullmqTransport(queue, { timeoutMs: 200 }),
      onError: (...failure) => failures.push(failure),
    });

    await request(app).post('/orders/1').expect(201);
    await tasks.drain();

    expect(failures).toHaveLength(1);
    expect((failures[0] as Failure)[0]).toHaveProperty(
      'message',
      'Could not enqueue task "recordOrder", so it runs in-process ' +
        'instead: BullMQ did not take job "recordOrder" in 200 ms',
    );
    expect(tasks.stats()).toMatchObject({ succeeded: 1, failed: 0 });
  });
});
