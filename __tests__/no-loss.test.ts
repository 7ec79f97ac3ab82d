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
    const outer = backgroundTasks({ onError: () => {} });
    const inner = backgroundTasks({ onError: () => {} });
    const sub = createExpress();
    const seen: unknown[] = [];

    app.use(outer);
    app.use(outer);
    sub.use(inner);
    sub.get('/', (_req, res) => {
      seen.push(res.locals.tasks);
      res.locals.tasks.add(() => {
        runs++;
      });
      res.send('ok');
    });
    app.use((_req, res, next) => {
      seen.push(res.locals.tasks);
      next();
    });
    app.use('/sub', sub);

    await request(app).get('/sub').expect(200);
    await outer.drain();
    await inner.drain();

    expect(seen[0]).toBe(seen[1]);
    expect(runs).toBe(1);
    expect(outer.stats()).toMatchObject({ succeeded: 1 });
    expect(inner.stats()).toMatchObject({ succeeded: 0 });
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
