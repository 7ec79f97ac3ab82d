import request from 'supertest';
import { type CurrentTask, currentTask } from '../lib/index.js';
import { buildApp, deferred } from './helpers/app.js';

describe('drain({ timeoutMs })', () => {
  it('resolves at the deadline, aborting running and cancelling queued tasks', async () => {
    const aborted = deferred<unknown>();
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          res.locals.tasks.add(function uploadReport() {
            const { signal } = currentTask() as CurrentTask;
            return new Promise<void>((resolve) => {
              signal.addEventListener('abort', () => {
                aborted.resolve(signal.reason);
                resolve();
              });
            });
          });
          res.locals.tasks.add(function sendEmail() {});
          res.send('ok');
        });
      },
      { onError: () => {} },
    );
    await request(app).get('/').expect(200);

    const report = await tasks.drain({ timeoutMs: 50 });

    expect(report).toEqual({
      completed: false,
      abandoned: ['uploadReport', 'sendEmail'],
    });
    expect((await aborted.promise) as Error).toHaveProperty(
      'name',
      'AbortError',
    );
    await tasks.drain();
    expect(tasks.stats()).toMatchObject({
      succeeded: 1,
      cancelled: 1,
      queued: 0,
      running: 0,
    });
  });

  it('cancels tasks of a request that has not answered, for good', async () => {
    let answer: (() => void) | undefined;
    const ran: string[] = [];
    const added = deferred();
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(function neverRuns() {
          ran.push('ran');
        });
        answer = () => res.send('late');
        added.resolve();
      });
    });
    const response = request(app).get('/');
    const done = response.then((res) => res.text);
    await added.promise;

    const report = await tasks.drain({ timeoutMs: 10 });
    answer?.();
    await done;
    await tasks.drain();

    expect(report).toEqual({ completed: false, abandoned: ['neverRuns'] });
    expect(ran).toEqual([]);
    expect(tasks.stats()).toMatchObject({ cancelled: 1, queued: 0 });
  });

  it('reports completion when everything settles before the deadline', async () => {
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(async () => {});
        res.send('ok');
      });
    });
    await request(app).get('/').expect(200);

    expect(await tasks.drain({ timeoutMs: 60_000 })).toEqual({
      completed: true,
      abandoned: [],
    });
    expect(await tasks.drain({ timeoutMs: 1 })).toEqual({
      completed: true,
      abandoned: [],
    });
  });

  it('ends on time with a task that never settles', async () => {
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(function hangs() {
          return new Promise(() => {});
        });
        res.send('ok');
      });
    });
    await request(app).get('/').expect(200);

    const report = await tasks.drain({ timeoutMs: 20 });

    expect(report).toEqual({ completed: false, abandoned: ['hangs'] });
    expect(tasks.stats().running).toBe(1);
  });

  it('refuses a bad deadline', () => {
    const { tasks } = buildApp(() => {});
    expect(() => tasks.drain({ timeoutMs: -1 })).toThrow(
      /^drain\(\): option "timeoutMs" must be from 1 to 2147483647 milliseconds, received -1 \(number\)$/,
    );
  });
});
