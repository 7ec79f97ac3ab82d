import request from 'supertest';
import {
  BackgroundTasks,
  type ErrorContext,
  TaskTimeoutError,
} from '../lib/index.js';
import { buildApp, deferred } from './helpers/app.js';

const never = () => new Promise<never>(() => {});

describe('timeoutMs', () => {
  it('reports a TaskTimeoutError and moves on to the next task', async () => {
    const failures: [unknown, ErrorContext][] = [];
    const ran: string[] = [];
    const queue = new BackgroundTasks({
      timeoutMs: 20,
      onError: (error, context) => failures.push([error, context]),
    });
    const stuck = queue.add(function hangs() {
      return never();
    });
    queue.add(() => {
      ran.push('next');
    });

    const summary = await queue.runAll();

    const [error, context] = failures[0] ?? [];
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect(error).toMatchObject({
      name: 'TaskTimeoutError',
      code: 'ERR_TASK_TIMEOUT',
      message: 'Task "hangs" timed out after 20 ms',
    });
    expect(context?.task).toBe('hangs');
    expect(stuck.status).toBe('timedOut');
    expect(ran).toEqual(['next']);
    expect(summary).toMatchObject({ timedOut: 1, succeeded: 1, failed: 0 });
  });

  it('lets a per-task timeoutMs override the default', async () => {
    const queue = new BackgroundTasks({ timeoutMs: 60_000, onError: () => {} });
    const handle = queue.add({ timeoutMs: 10 }, never);

    const summary = await queue.runAll();

    expect(handle.status).toBe('timedOut');
    expect(summary.timedOut).toBe(1);
  });

  it('ignores a late settle after the timeout', async () => {
    const failures: unknown[] = [];
    const release = deferred<void>();
    const queue = new BackgroundTasks({
      timeoutMs: 10,
      onError: (error) => failures.push(error),
    });
    const late = queue.add(async () => {
      await release.promise;
      throw new Error('too late to matter');
    });

    await queue.runAll();
    release.resolve();
    await new Promise((resolve) => setImmediate(resolve));

    expect(late.status).toBe('timedOut');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(TaskTimeoutError);
  });

  it('counts a timeout as a failure for stopOnError', async () => {
    const queue = new BackgroundTasks({
      timeoutMs: 10,
      stopOnError: true,
      onError: () => {},
    });
    queue.add(never);
    const after = queue.add(() => {});

    const summary = await queue.runAll();

    expect(after.status).toBe('skipped');
    expect(summary).toMatchObject({ timedOut: 1, skipped: 1 });
  });

  it('stops counting a timed-out task as running, so drain() ends', async () => {
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          res.locals.tasks.add(never);
          res.send('ok');
        });
      },
      { timeoutMs: 20, onError: () => {} },
    );

    await request(app).get('/').expect(200);

    expect(await tasks.drain()).toEqual({ completed: true, abandoned: [] });
    expect(tasks.stats()).toMatchObject({ running: 0, timedOut: 1 });
  });

  it('leaves sync tasks alone: they cannot be interrupted', async () => {
    const queue = new BackgroundTasks({ timeoutMs: 1 });
    const handle = queue.add(() => {
      const until = Date.now() + 5;
      while (Date.now() < until);
    });

    await queue.runAll();

    expect(handle.status).toBe('succeeded');
  });
});
