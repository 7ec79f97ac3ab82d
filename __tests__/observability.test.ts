import request from 'supertest';
import { BackgroundTasks, type TaskEvent } from '../lib/index.js';
import { buildApp } from './helpers/app.js';

describe('stats()', () => {
  it('counts per middleware instance, never shared between apps', async () => {
    const first = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          res.locals.tasks.add(() => {});
          res.locals.tasks.add(() => {
            throw new Error('x');
          });
          res.locals.tasks.add({ when: 'success' }, () => {}).cancel();
          res.send('ok');
        });
      },
      { onError: () => {} },
    );
    const second = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(() => {});
        res.send('ok');
      });
    });

    await request(first.app).get('/').expect(200);
    await request(second.app).get('/').expect(200);
    await first.tasks.drain();
    await second.tasks.drain();

    expect(first.tasks.stats()).toEqual({
      queued: 0,
      running: 0,
      succeeded: 1,
      failed: 1,
      timedOut: 0,
      skipped: 0,
      cancelled: 1,
    });
    expect(second.tasks.stats()).toMatchObject({ succeeded: 1, failed: 0 });
  });

  it('returns a snapshot the caller cannot corrupt', () => {
    const { tasks } = buildApp(() => {});
    const snapshot = tasks.stats();
    snapshot.queued = 99;
    expect(tasks.stats().queued).toBe(0);
  });
});

describe('onTaskStart and onTaskEnd', () => {
  it('describe each task, the end before the next task starts', async () => {
    const log: string[] = [];
    const events: TaskEvent[] = [];
    const failure = new Error('x');
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          res.locals.tasks.add(function first() {
            log.push('run first');
          });
          res.locals.tasks.add(function second() {
            return new Promise(() => {});
          });
          res.locals.tasks.add(async function third() {
            log.push('run third');
            throw failure;
          });
          res.send('ok');
        });
      },
      {
        timeoutMs: 20,
        onError: () => {},
        onTaskStart: (event) => {
          log.push(`start ${event.name} ${event.status}`);
          events.push(event);
        },
        onTaskEnd: (event) => {
          log.push(`end ${event.name} ${event.status}`);
          events.push(event);
        },
      },
    );

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(log).toEqual([
      'start first running',
      'run first',
      'end first succeeded',
      'start second running',
      'end second timedOut',
      'start third running',
      'run third',
      'end third failed',
    ]);
    const [start] = events;
    expect(start?.durationMs).toBe(0);
    expect(start?.req?.method).toBe('GET');
    expect(start?.res?.statusCode).toBe(200);
    expect(events[3]?.durationMs).toBeGreaterThanOrEqual(15);
    expect(events[3]?.error).toMatchObject({ code: 'ERR_TASK_TIMEOUT' });
    expect(events[5]?.error).toBe(failure);
    expect(events[1]).not.toHaveProperty('error');
  });

  it('writes a failing hook to stderr without changing the outcome', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const queue = new BackgroundTasks({
      onTaskStart: () => {
        throw new Error('start hook broke');
      },
      onTaskEnd: () => Promise.reject(new Error('end hook broke')),
    });
    const handle = queue.add(() => {});

    const summary = await queue.runAll();
    await new Promise((resolve) => setImmediate(resolve));
    const written = stderr.mock.calls.map(([text]) => String(text)).join('');
    stderr.mockRestore();

    expect(handle.status).toBe('succeeded');
    expect(summary).toMatchObject({ succeeded: 1, failed: 0 });
    expect(written).toMatch(/onTaskStart failed .*start hook broke/);
    expect(written).toMatch(/onTaskEnd failed .*end hook broke/);
  });

  it('has called every hook by the time runAll() resolves', async () => {
    const ended: string[] = [];
    const queue = new BackgroundTasks({
      onError: () => {},
      onTaskEnd: ({ name }) => ended.push(name),
    });
    queue.add(async function a() {});
    queue.add(async function b() {
      throw new Error('x');
    });

    await queue.runAll();

    expect(ended).toEqual(['a', 'b']);
  });
});
