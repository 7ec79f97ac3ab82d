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
    const seen: unknown[][] = [];
    const look = () => {
      const task = currentTask();
      return [task?.name, task?.req, task?.res?.statusCode, task?.signal];
    };
    let request_: unknown;
    const { app, tasks } = buildApp((app) => {
      app.get('/', (req, res) => {
        request_ = req;
        res.locals.tasks.add({ name: 'audit' }, async () => {
          seen.push(look());
          await new Promise((resolve) => setImmediate(resolve));
          seen.push(look());
        });
        res.send('ok');
      });
    });

    await request(app).get('/').expect(200);
    await tasks.drain();

    const [first, second] = seen;
    expect(first).toEqual(second);
    expect(first?.slice(0, 3)).toEqual(['audit', request_, 200]);
    expect(first?.[3]).toHaveProperty('aborted', false);
  });

  it('lets go of the request once the task is over', async () => {
    const queue = new BackgroundTasks();
    let seen: CurrentTask | undefined;
    queue.add(() => {
      seen = currentTask();
    });

    await queue.runAll();

    expect(seen?.name).toBe('anonymous');
    expect(seen?.req).toBeUndefined();
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
