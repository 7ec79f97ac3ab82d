import request from 'supertest';
import { TaskQueueFullError } from '../lib/index.js';
import { buildApp, deferred } from './helpers/app.js';

describe('concurrency', () => {
  it('runs at most that many tasks at once, each queue still in order', async () => {
    let running = 0;
    let peak = 0;
    const order = new Map<string, number[]>();
    const step = async (id: string, n: number) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setImmediate(resolve));
      order.set(id, [...(order.get(id) ?? []), n]);
      running--;
    };
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/:id', (req, res) => {
          for (let n = 0; n < 5; n++)
            res.locals.tasks.add(step, req.params.id, n);
          res.send('ok');
        });
      },
      { concurrency: 2, onError: () => {} },
    );

    await Promise.all(
      ['a', 'b', 'c', 'd'].map((id) => request(app).get(`/${id}`).expect(200)),
    );
    await tasks.drain();

    expect(peak).toBe(2);
    expect([...order.values()]).toEqual(
      Array.from({ length: 4 }, () => [0, 1, 2, 3, 4]),
    );
    expect(tasks.stats()).toMatchObject({ succeeded: 20, running: 0 });
  });

  it('frees the slot of a task that timed out', async () => {
    const ran: string[] = [];
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/stuck', (_req, res) => {
          res.locals.tasks.add(() => new Promise(() => {}));
          res.send('ok');
        });
        app.get('/next', (_req, res) => {
          res.locals.tasks.add(() => {
            ran.push('next');
          });
          res.send('ok');
        });
      },
      { concurrency: 1, timeoutMs: 20, onError: () => {} },
    );

    await request(app).get('/stuck').expect(200);
    await request(app).get('/next').expect(200);
    await tasks.drain();

    expect(ran).toEqual(['next']);
    expect(tasks.stats()).toMatchObject({ timedOut: 1, succeeded: 1 });
  });
});

describe('maxQueued', () => {
  it('throws TaskQueueFullError at the limit, so the route can answer 503', async () => {
    const release = deferred();
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', async (_req, res) => {
          try {
            res.locals.tasks.add(() => release.promise);
            res.send('queued');
          } catch (error) {
            res.status(503).json({
              code: (error as TaskQueueFullError).code,
              full: error instanceof TaskQueueFullError,
            });
          }
        });
      },
      { maxQueued: 2, concurrency: 1, onError: () => {} },
    );

    // One task runs; two wait; the fourth does not fit.
    await request(app).get('/').expect(200);
    await request(app).get('/').expect(200);
    await request(app).get('/').expect(200);
    const full = await request(app).get('/').expect(503);

    expect(full.body).toEqual({ code: 'ERR_TASK_QUEUE_FULL', full: true });
    expect(tasks.stats()).toMatchObject({ queued: 2, running: 1 });
    release.resolve();
    await tasks.drain();
    expect(tasks.stats()).toMatchObject({ queued: 0, succeeded: 3 });
  });

  it('counts tasks of requests that have not answered yet', async () => {
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          const queue = res.locals.tasks;
          queue.add(() => {});
          const error = catchError(() => queue.add(() => {}));
          res.json({
            message: error?.message,
            size: queue.size,
            queued: tasks.stats().queued,
          });
        });
      },
      { maxQueued: 1, onError: () => {} },
    );

    const res = await request(app).get('/').expect(200);

    expect(res.body).toEqual({
      message: 'Cannot add a task: maxQueued (1) tasks already wait',
      size: 1,
      queued: 1,
    });
    await tasks.drain();
  });

  it('makes room again when queued tasks are cancelled', async () => {
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          const first = res.locals.tasks.add(() => {});
          first.cancel();
          res.locals.tasks.add(() => {});
          res.send('ok');
        });
      },
      { maxQueued: 1, onError: () => {} },
    );

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(tasks.stats()).toMatchObject({ cancelled: 1, succeeded: 1 });
  });
});

function catchError(fn: () => unknown): Error | undefined {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}
