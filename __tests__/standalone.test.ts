import request from 'supertest';
import { BackgroundTasks, type TaskStatus } from '../lib/index.js';
import { buildApp, deferred } from './helpers/app.js';

describe('BackgroundTasks on its own', () => {
  it('runs nothing until runAll(), then resolves with a summary', async () => {
    const ran: number[] = [];
    const failures: unknown[] = [];
    const queue = new BackgroundTasks({
      onError: (error) => failures.push(error),
    });
    queue.add((n: number) => {
      ran.push(n);
    }, 1);
    queue.add(async () => {
      throw new Error('nope');
    });
    await Promise.resolve();
    expect(ran).toEqual([]);
    expect(queue.size).toBe(2);

    const summary = await queue.runAll();

    expect(ran).toEqual([1]);
    expect(failures).toHaveLength(1);
    expect(summary).toEqual({
      succeeded: 1,
      failed: 1,
      timedOut: 0,
      skipped: 0,
      cancelled: 0,
    });
    expect(queue.size).toBe(0);
  });

  it('names tasks by option, then function name, then anonymous', () => {
    const queue = new BackgroundTasks();
    function sendReceipt() {}

    expect(queue.add(sendReceipt).name).toBe('sendReceipt');
    expect(queue.add({ name: 'audit' }, sendReceipt).name).toBe('audit');
    expect(queue.add((() => () => {})()).name).toBe('anonymous');
  });

  it('keeps the handle status live as the task moves on', async () => {
    const queue = new BackgroundTasks({ onError: () => {} });
    const release = deferred();
    const statuses: TaskStatus[] = [];
    const started = deferred();
    const slow = queue.add(() => {
      started.resolve();
      return release.promise;
    });
    const failing = queue.add(() => {
      throw new Error('x');
    });
    statuses.push(slow.status);

    const done = queue.runAll();
    await started.promise;
    statuses.push(slow.status, failing.status);
    release.resolve();
    await done;
    statuses.push(slow.status, failing.status);

    expect(statuses).toEqual([
      'queued',
      'running',
      'queued',
      'succeeded',
      'failed',
    ]);
  });

  it('cancels a queued task once, and never a running one', async () => {
    const queue = new BackgroundTasks();
    const release = deferred();
    const started = deferred();
    const running = queue.add(() => {
      started.resolve();
      return release.promise;
    });
    const queued = queue.add(() => {
      throw new Error('must not run');
    });

    const done = queue.runAll();
    await started.promise;
    expect(running.cancel()).toBe(false);
    expect(queued.cancel()).toBe(true);
    expect(queued.cancel()).toBe(false);
    expect(queued.status).toBe('cancelled');
    expect(queue.size).toBe(0);
    release.resolve();

    expect(await done).toMatchObject({ succeeded: 1, cancelled: 1, failed: 0 });
  });

  it('clears every queued task and says how many', async () => {
    const queue = new BackgroundTasks();
    const handles = [1, 2, 3].map(() => queue.add(() => {}));

    expect(queue.clear()).toBe(3);
    expect(queue.clear()).toBe(0);
    expect(handles.map((handle) => handle.status)).toEqual([
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(await queue.runAll()).toMatchObject({ succeeded: 0, cancelled: 3 });
  });

  it('calls onError for every failure before runAll() resolves', async () => {
    const reported: string[] = [];
    const queue = new BackgroundTasks({
      onError: (_error, { task }) => reported.push(task),
    });
    queue.add(async function late() {
      await new Promise((resolve) => setImmediate(resolve));
      throw new Error('late');
    });

    await queue.runAll();

    expect(reported).toEqual(['late']);
  });

  it('gives a standalone onError no request and no abort', async () => {
    const contexts: unknown[] = [];
    const queue = new BackgroundTasks({
      onError: (_error, context) => contexts.push(context),
    });
    queue.add(function fails() {
      throw new Error('x');
    });

    await queue.runAll();

    expect(contexts).toEqual([
      {
        task: 'fails',
        aborted: false,
        req: undefined,
        res: undefined,
        statusCode: undefined,
      },
    ]);
  });
});

describe('stopOnError', () => {
  it('skips the rest of the queue after a failure', async () => {
    const ran: string[] = [];
    const queue = new BackgroundTasks({ stopOnError: true, onError: () => {} });
    queue.add(() => {
      ran.push('first');
    });
    queue.add(() => {
      throw new Error('stop');
    });
    queue.add(() => {
      ran.push('never');
    });

    const summary = await queue.runAll();

    expect(ran).toEqual(['first']);
    expect(summary).toMatchObject({ succeeded: 1, failed: 1, skipped: 1 });
  });

  it('gives every task its turn by default, and stops per request', async () => {
    const ran: string[] = [];
    const stopping = buildApp(
      (app) => {
        app.get('/', (req, res) => {
          res.locals.tasks.add(() => {
            if (req.query.fail) throw new Error('x');
          });
          res.locals.tasks.add(() => {
            ran.push(String(req.query.fail ?? 'ok'));
          });
          res.send('ok');
        });
      },
      { stopOnError: true, onError: () => {} },
    );
    const queue = new BackgroundTasks({ onError: () => {} });
    queue.add(() => {
      throw new Error('x');
    });
    queue.add(() => {
      ran.push('default goes on');
    });

    await request(stopping.app).get('/?fail=1').expect(200);
    await request(stopping.app).get('/').expect(200);
    await stopping.tasks.drain();
    await queue.runAll();

    expect(ran).toEqual(['ok', 'default goes on']);
  });
});

describe("when: 'success'", () => {
  it('skips on error statuses and runs on success, per task or default', async () => {
    const ran: string[] = [];
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/:status', (req, res) => {
          const status = Number(req.params.status);
          res.locals.tasks.add(() => {
            ran.push(`default ${status}`);
          });
          res.locals.tasks.add({ when: 'always' }, () => {
            ran.push(`always ${status}`);
          });
          res.status(status).end();
        });
      },
      { when: 'success', onError: () => {} },
    );

    await request(app).get('/200').expect(200);
    await request(app).get('/404').expect(404);
    await request(app).get('/503').expect(503);
    await tasks.drain();

    expect(ran.sort()).toEqual([
      'always 200',
      'always 404',
      'always 503',
      'default 200',
    ]);
    expect(tasks.stats()).toMatchObject({ succeeded: 4, skipped: 2 });
  });
});
