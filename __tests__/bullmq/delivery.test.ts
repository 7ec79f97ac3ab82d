import type { Queue } from 'bullmq';
import request from 'supertest';
import { bullmqTransport } from '../../lib/bullmq.js';
import { defineTask } from '../../lib/index.js';
import { recordOrder } from '../fixtures/tasks.js';
import { buildApp } from '../helpers/app.js';
import {
  type Child,
  openQueue,
  removeQueue,
  startFixture,
} from '../helpers/redis.js';

jest.setTimeout(20_000);

describe('named tasks with bullmqTransport', () => {
  let queue: Queue;
  let worker: Child | undefined;

  beforeEach(async () => {
    queue = await openQueue('delivery');
  });
  afterEach(async () => {
    worker?.kill();
    await worker?.exited;
    worker = undefined;
    await removeQueue(queue);
  });

  it('enqueues after the response; a worker process runs the job', async () => {
    worker = startFixture('worker', { QUEUE: queue.name });
    await worker.next('ready');
    const countsInRoute: number[] = [];
    const finishedAtEnqueue: boolean[] = [];
    const { app, tasks } = buildApp(
      (app) => {
        app.post('/orders', async (_req, res) => {
          res.locals.tasks.add(recordOrder, 7, 'a@b.c', new Date(0));
          countsInRoute.push(await queue.count());
          res.status(201).send('created');
        });
      },
      {
        transport: bullmqTransport(queue),
        onTaskStart: ({ res }) => {
          finishedAtEnqueue.push(res?.writableFinished === true);
        },
      },
    );

    await request(app).post('/orders').expect(201, 'created');
    await tasks.drain();
    const completed = await worker.next('completed');

    expect(countsInRoute).toEqual([0]);
    expect(finishedAtEnqueue).toEqual([true]);
    expect(completed).toMatchObject({
      data: [7, 'a@b.c', '1970-01-01T00:00:00.000Z'],
      result: {
        orderId: 7,
        email: 'a@b.c',
        placedAt: '1970-01-01T00:00:00.000Z',
      },
    });
    expect(tasks.stats()).toMatchObject({ succeeded: 1, failed: 0 });
  });

  it('enqueues in the order added; plain tasks run in-process', async () => {
    const stepA = defineTask('stepA', (_n: number) => {});
    const stepB = defineTask('stepB', (_n: number) => {});
    const ranHere: string[] = [];
    const ended: string[] = [];
    const { app, tasks } = buildApp(
      (app) => {
        app.post('/orders', (_req, res) => {
          const queue = res.locals.tasks;
          queue.add(stepA, 1);
          queue.add(function plain() {
            ranHere.push('plain');
          });
          queue.add(stepB, 2);
          queue.add(stepA, 3);
          res.status(201).end();
        });
      },
      {
        transport: bullmqTransport(queue),
        onTaskEnd: ({ name }) => ended.push(name),
      },
    );

    await request(app).post('/orders').expect(201);
    await tasks.drain();
    const jobs = await queue.getJobs(['wait']);
    jobs.sort((a, b) => Number(a.id) - Number(b.id));

    expect(jobs.map((job) => [job.name, job.data])).toEqual([
      ['stepA', [1]],
      ['stepB', [2]],
      ['stepA', [3]],
    ]);
    expect(ranHere).toEqual(['plain']);
    expect(ended).toEqual(['stepA', 'plain', 'stepB', 'stepA']);
  });

  it('applies job options; a jobId makes a repeated enqueue a no-op', async () => {
    const invoice = defineTask('invoice', (_orderId: number) => {}, {
      attempts: 4,
      backoff: { type: 'exponential', delay: 500 },
      priority: 9,
      removeOnComplete: 10,
    });
    const { app, tasks } = buildApp(
      (app) => {
        app.post('/orders/:id', (req, res) => {
          const id = Number(req.params.id);
          const job = { jobId: `invoice-${id}`, priority: 2 };
          res.locals.tasks.add({ job }, invoice, id);
          res.status(201).end();
        });
      },
      { transport: bullmqTransport(queue) },
    );

    await request(app).post('/orders/5').expect(201);
    await request(app).post('/orders/5').expect(201);
    await tasks.drain();
    const jobs = await queue.getJobs(['prioritized', 'wait']);

    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.id).toBe('invoice-5');
    expect(jobs[0]?.opts).toMatchObject({
      attempts: 4,
      backoff: { type: 'exponential', delay: 500 },
      priority: 2,
      removeOnComplete: 10,
    });
    expect(tasks.stats()).toMatchObject({ succeeded: 2 });
  });
});
