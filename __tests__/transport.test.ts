// The core's side of the transport contract, with a transport written
// here: what the core hands over, when, and what it does on failure.
// BullMQ itself is tested against real Redis under __tests__/bullmq/.
import request from 'supertest';
import {
  BackgroundTasks,
  type BackgroundTasksOptions,
  defineTask,
  type ErrorContext,
  type JobOptions,
  TaskEnqueueError,
  type TaskHandle,
  TaskTimeoutError,
  type TaskTransport,
} from '../lib/index.js';
import { buildApp, deferred } from './helpers/app.js';

interface Enqueued {
  name: string;
  args: unknown[];
  jobOptions: JobOptions;
  responseFinished: boolean | undefined;
}

/** Records each enqueue; `fail` makes every enqueue reject with it. */
function recordingTransport(fail?: unknown) {
  const enqueued: Enqueued[] = [];
  let res: { writableFinished: boolean } | undefined;
  const transport: TaskTransport = {
    async enqueue(name, args, jobOptions) {
      if (fail !== undefined) throw fail;
      enqueued.push({
        name,
        args,
        jobOptions,
        responseFinished: res?.writableFinished,
      });
    },
  };
  return {
    transport,
    enqueued,
    watch: (response: typeof res) => {
      res = response;
    },
  };
}

const ran: string[] = [];
const sendReceipt = defineTask(
  'sendReceipt',
  (orderId: number, email: string) => {
    ran.push(`sendReceipt ${orderId} ${email}`);
  },
  { attempts: 3, priority: 5 },
);
const failingReceipt = defineTask('failingReceipt', () => {
  throw new Error('mailer down too');
});

type Failure = [unknown, ErrorContext];

function appWith(
  options: BackgroundTasksOptions,
  addTasks: (tasks: BackgroundTasks) => TaskHandle[],
) {
  const handles: TaskHandle[] = [];
  const test = buildApp((app) => {
    app.post('/orders', (_req, res) => {
      handles.push(...addTasks(res.locals.tasks));
      res.status(201).send('created');
    });
  }, options);
  return { ...test, handles };
}

beforeEach(() => {
  ran.length = 0;
});

describe('a transport', () => {
  it('receives defined tasks after the response, in order; plain ones run here', async () => {
    const { transport, enqueued, watch } = recordingTransport();
    const order: string[] = [];
    const { app, tasks } = appWith(
      {
        transport,
        onTaskStart: ({ res }) => watch(res),
        onTaskEnd: ({ name }) => order.push(name),
      },
      (tasks) => [
        tasks.add(sendReceipt, 1, 'a@b.c'),
        tasks.add(function audit() {
          ran.push('audit');
        }),
        tasks.add(
          { job: { jobId: 'receipt-2', priority: 1 } },
          sendReceipt,
          2,
          'd@e.f',
        ),
      ],
    );

    await request(app).post('/orders').expect(201);
    await tasks.drain();

    expect(order).toEqual(['sendReceipt', 'audit', 'sendReceipt']);
    expect(ran).toEqual(['audit']);
    expect(enqueued).toEqual([
      {
        name: 'sendReceipt',
        args: [1, 'a@b.c'],
        jobOptions: { attempts: 3, priority: 5 },
        responseFinished: true,
      },
      {
        name: 'sendReceipt',
        args: [2, 'd@e.f'],
        jobOptions: { attempts: 3, priority: 1, jobId: 'receipt-2' },
        responseFinished: true,
      },
    ]);
    expect(tasks.stats()).toMatchObject({ succeeded: 3, failed: 0 });
  });

  it('enqueues nothing for a cancelled or skipped task', async () => {
    const { transport, enqueued } = recordingTransport();
    const { app, tasks } = buildApp(
      (app) => {
        app.post('/orders', (_req, res) => {
          res.locals.tasks.add(sendReceipt, 1, 'a@b.c').cancel();
          res.locals.tasks.add({ when: 'success' }, sendReceipt, 2, 'x@y.z');
          res.status(500).send('failed');
        });
      },
      { transport },
    );

    await request(app).post('/orders').expect(500);
    await tasks.drain();

    expect(enqueued).toEqual([]);
    expect(tasks.stats()).toMatchObject({ cancelled: 1, skipped: 1 });
  });

  it('makes drain() wait for an enqueue still in flight', async () => {
    const release = deferred();
    const started = deferred();
    const transport: TaskTransport = {
      async enqueue() {
        started.resolve();
        await release.promise;
      },
    };
    const { app, tasks } = appWith({ transport }, (tasks) => [
      tasks.add(sendReceipt, 1, 'a@b.c'),
    ]);
    let drained = false;

    await request(app).post('/orders').expect(201);
    await started.promise;
    const draining = tasks.drain().then((report) => {
      drained = true;
      return report;
    });
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(tasks.stats().running).toBe(1);

    release.resolve();
    expect(await draining).toEqual({ completed: true, abandoned: [] });
  });

  it('works with a standalone queue', async () => {
    const { transport, enqueued } = recordingTransport();
    const queue = new BackgroundTasks({ transport });
    queue.add(sendReceipt, 3, 'g@h.i');

    expect(await queue.runAll()).toMatchObject({ succeeded: 1 });
    expect(enqueued.map(({ args }) => args)).toEqual([[3, 'g@h.i']]);
  });
});

describe('a failed enqueue', () => {
  const redisDown = new Error('connect ECONNREFUSED 127.0.0.1:6379');

  it("runs the task here under 'run-locally', after telling onError once", async () => {
    const failures: Failure[] = [];
    const { transport } = recordingTransport(redisDown);
    const { app, tasks, handles } = appWith(
      { transport, onError: (...failure) => failures.push(failure) },
      (tasks) => [tasks.add(sendReceipt, 1, 'a@b.c')],
    );

    await request(app).post('/orders').expect(201);
    await tasks.drain();

    expect(ran).toEqual(['sendReceipt 1 a@b.c']);
    expect(handles[0]?.status).toBe('succeeded');
    expect(failures).toHaveLength(1);
    const [error, context] = failures[0] as Failure;
    expect(error).toBeInstanceOf(TaskEnqueueError);
    expect(error).toMatchObject({
      code: 'ERR_TASK_ENQUEUE',
      task: 'sendReceipt',
      runsLocally: true,
      cause: redisDown,
      message:
        'Could not enqueue task "sendReceipt", so it runs in-process ' +
        'instead: connect ECONNREFUSED 127.0.0.1:6379',
    });
    expect(context).toMatchObject({ task: 'sendReceipt', statusCode: 201 });
  });

  it('reports the local run failing too', async () => {
    const failures: Failure[] = [];
    const { transport } = recordingTransport(redisDown);
    const { app, tasks, handles } = appWith(
      { transport, onError: (...failure) => failures.push(failure) },
      (tasks) => [tasks.add(failingReceipt)],
    );

    await request(app).post('/orders').expect(201);
    await tasks.drain();

    expect(failures.map(([error]) => (error as Error).message)).toEqual([
      expect.stringContaining('Could not enqueue task "failingReceipt"'),
      'mailer down too',
    ]);
    expect(handles[0]?.status).toBe('failed');
    expect(tasks.stats()).toMatchObject({ failed: 1, succeeded: 0 });
  });

  it("fails the task under 'report', counted and told once", async () => {
    const failures: Failure[] = [];
    const ends: string[] = [];
    const { transport } = recordingTransport('not even an Error');
    const { app, tasks, handles } = appWith(
      {
        transport,
        onEnqueueError: 'report',
        onError: (...failure) => failures.push(failure),
        onTaskEnd: ({ name, status }) => ends.push(`${name} ${status}`),
      },
      (tasks) => [
        tasks.add(sendReceipt, 1, 'a@b.c'),
        tasks.add(() => {
          ran.push('next');
        }),
      ],
    );

    await request(app).post('/orders').expect(201);
    await tasks.drain();

    expect(ran).toEqual(['next']);
    expect(handles[0]?.status).toBe('failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]?.[0]).toMatchObject({
      runsLocally: false,
      cause: 'not even an Error',
      message: 'Could not enqueue task "sendReceipt": not even an Error',
    });
    expect(failures[0]?.[1].task).toBe('sendReceipt');
    expect(ends).toEqual(['sendReceipt failed', 'anonymous succeeded']);
    expect(tasks.stats()).toMatchObject({ failed: 1, succeeded: 1 });
  });

  it('runs nothing here when the task timed out while enqueuing', async () => {
    const failures: unknown[] = [];
    const fail = deferred();
    const transport: TaskTransport = {
      async enqueue() {
        await fail.promise;
        throw redisDown;
      },
    };
    const queue = new BackgroundTasks({
      transport,
      timeoutMs: 20,
      onError: (error) => failures.push(error),
    });
    const handle = queue.add(sendReceipt, 1, 'a@b.c');

    expect(await queue.runAll()).toMatchObject({ timedOut: 1 });
    fail.resolve();
    await new Promise((resolve) => setImmediate(resolve));

    expect(handle.status).toBe('timedOut');
    expect(failures).toEqual([expect.any(TaskTimeoutError)]);
    expect(ran).toEqual([]);
  });

  it('catches a transport that throws synchronously', async () => {
    const failures: unknown[] = [];
    const transport: TaskTransport = {
      enqueue() {
        throw new Error('sync');
      },
    };
    const queue = new BackgroundTasks({
      transport,
      onEnqueueError: 'report',
      onError: (error) => failures.push(error),
    });
    queue.add(sendReceipt, 1, 'a@b.c');

    expect(await queue.runAll()).toMatchObject({ failed: 1 });
    expect(failures).toEqual([expect.any(TaskEnqueueError)]);
  });
});
