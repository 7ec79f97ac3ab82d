import { request as httpRequest } from 'node:http';
import request from 'supertest';
import {
  BackgroundTasks,
  type CurrentTask,
  currentTask,
  TaskTimeoutError,
} from '../lib/index.js';
import { buildApp, deferred, listen } from './helpers/app.js';

describe('currentTask()', () => {
  it('returns undefined outside a task', () => {
    expect(currentTask()).toBeUndefined();
  });

  it('describes the running task, across awaits', async () => {
    const seen: (CurrentTask | undefined)[] = [];
    let request_: unknown;
    const { app, tasks } = buildApp((app) => {
      app.get('/', (req, res) => {
        request_ = req;
        res.locals.tasks.add({ name: 'audit' }, async () => {
          seen.push(currentTask());
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(currentTask());
        });
        res.send('ok');
      });
    });

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    expect(seen[0]?.name).toBe('audit');
    expect(seen[0]?.req).toBe(request_);
    expect(seen[0]?.res?.statusCode).toBe(200);
    expect(seen[0]?.signal.aborted).toBe(false);
  });

  it('aborts the signal when the task times out', async () => {
    const reasons: unknown[] = [];
    const queue = new BackgroundTasks({ timeoutMs: 10, onError: () => {} });
    queue.add(
      () =>
        new Promise<void>((resolve) => {
          const { signal } = currentTask() as CurrentTask;
          signal.addEventListener('abort', () => {
            reasons.push(signal.reason);
            resolve();
          });
        }),
    );

    await queue.runAll();

    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toBeInstanceOf(TaskTimeoutError);
  });

  it('never aborts the signal because the client went away', async () => {
    const closed = deferred();
    const checked = deferred<boolean>();
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(() => {
          checked.resolve((currentTask() as CurrentTask).signal.aborted);
        });
        res.on('close', () => closed.resolve());
        res.write('partial');
      });
    });
    const server = await listen(app);
    const req = httpRequest(server.url, (res) => {
      res.destroy();
      req.destroy();
    });
    req.on('error', () => {});
    req.end();

    await closed.promise;
    await tasks.drain();

    expect(await checked.promise).toBe(false);
    await server.close();
  });
});
