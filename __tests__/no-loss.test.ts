import type { Response } from 'express';
import request from 'supertest';
import { backgroundTasks } from '../lib/index.js';
import { buildApp, createExpress, deferred } from './helpers/app.js';

describe('no task is lost', () => {
  it('runs a task added by a running task in the same drain', async () => {
    const ran: string[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        const queue = res.locals.tasks;
        queue.add(() => {
          ran.push('first');
          queue.add(() => {
            ran.push('added while draining');
          });
        });
        queue.add(() => {
          ran.push('second');
        });
        res.send('ok');
      });
    });

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(ran).toEqual(['first', 'second', 'added while draining']);
  });

  it('runs a task added after the queue has drained', async () => {
    const ran: string[] = [];
    let addLater: (() => void) | undefined;
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(() => {
          ran.push('first');
        });
        // What a timer set by the handler would do, run when the test says.
        addLater = () =>
          res.locals.tasks.add(() => {
            ran.push('late');
          });
        res.send('ok');
      });
    });

    await request(app).get('/').expect(200);
    await tasks.drain();
    expect(ran).toEqual(['first']);

    addLater?.();
    await tasks.drain();
    expect(ran).toEqual(['first', 'late']);
  });

  it('keeps the queue when the route replaces res.locals', async () => {
    const ran: string[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(() => {
          ran.push('kept');
        });
        res.locals = Object.assign(Object.create(null), { user: 'x' });
        res.send('ok');
      });
    });

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(ran).toEqual(['kept']);
  });

  it('gives one queue, drained once, when mounted twice or in a sub-app', async () => {
    let runs = 0;
    const app = createExpress();
    const sub = createExpress();
    const tasks = backgroundTasks({ onError: () => {} });
    const seen: unknown[] = [];
    const record = (_req: unknown, res: Response, next: () => void) => {
      seen.push(res.locals.tasks);
      next();
    };

    app.use(tasks, record, tasks);
    sub.use(tasks, record);
    sub.get('/', (_req, res) => {
      res.locals.tasks.add(() => {
        runs++;
      });
      res.send('ok');
    });
    app.use('/sub', sub);

    await request(app).get('/sub').expect(200);
    await tasks.drain();

    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(runs).toBe(1);
    expect(tasks.stats()).toMatchObject({ succeeded: 1 });
  });

  it('gives another instance in a sub-app a queue, stats and drain of its own', async () => {
    const ran: string[] = [];
    const app = createExpress();
    const admin = createExpress();
    const appTasks = backgroundTasks({ onError: () => {} });
    const adminTasks = backgroundTasks({ onError: () => {} });
    let release: (() => void) | undefined;

    app.use(appTasks);
    app.use((_req, res, next) => {
      res.locals.tasks.add(() => {
        ran.push('app');
      });
      next();
    });
    admin.use(adminTasks);
    admin.post('/reindex', (_req, res) => {
      res.locals.tasks.add(
        () =>
          new Promise<void>((resolve) => {
            release = () => {
              ran.push('admin');
              resolve();
            };
          }),
      );
      res.status(202).end();
    });
    app.use('/admin', admin);

    await request(app).post('/admin/reindex').expect(202);
    await appTasks.drain();
    expect(adminTasks.stats()).toMatchObject({ running: 1 });
    release?.();
    await adminTasks.drain();

    expect(ran.sort()).toEqual(['admin', 'app']);
    expect(appTasks.stats()).toMatchObject({ succeeded: 1 });
    expect(adminTasks.stats()).toMatchObject({ succeeded: 1, running: 0 });
  });

  it('waits in drain() for requests that added tasks but have not answered', async () => {
    const ran: string[] = [];
    let answer: (() => void) | undefined;
    const added = deferred();
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(() => {
          ran.push('task');
        });
        answer = () => res.send('late answer');
        added.resolve();
      });
    });

    const response = request(app)
      .get('/')
      .then((res) => res.text);
    await added.promise;
    let drained = false;
    const drain = tasks.drain().then((report) => {
      drained = true;
      return report;
    });
    // Let every pending callback run: the drain must still be waiting.
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);

    answer?.();
    expect(await response).toBe('late answer');
    expect(await drain).toEqual({ completed: true, abandoned: [] });
    expect(ran).toEqual(['task']);
  });
});
