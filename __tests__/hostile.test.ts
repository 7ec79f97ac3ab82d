import { AsyncLocalStorage } from 'node:async_hooks';
import { inspect } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import request from 'supertest';
import {
  BackgroundTasks,
  backgroundTasks,
  type CurrentTask,
  currentTask,
  type TaskOptions,
} from '../lib/index.js';
import { buildApp, failOnProcessTrouble } from './helpers/app.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** A value whose inspection throws, as a hostile object's might. */
const uninspectable = {
  [inspect.custom]() {
    throw new Error('inspect boom');
  },
};

function untyped<T>(value: unknown): T {
  return value as T;
}

describe('a queue that keeps itself busy', () => {
  it('still lets timers and I/O run between its tasks', async () => {
    const queue = new BackgroundTasks();
    let timerRan = false;
    let rounds = 0;
    const again = async () => {
      rounds++;
      if (!timerRan) queue.add(again);
    };
    queue.add(again);
    setImmediate(() => {
      timerRan = true;
    });

    await queue.runAll();

    expect(timerRan).toBe(true);
    expect(rounds).toBeGreaterThan(1);
  });
});

describe('odd task functions and results', () => {
  failOnProcessTrouble();

  it('names a task with a non-string name anonymous', async () => {
    const reported: string[] = [];
    const queue = new BackgroundTasks({
      onError: (_error, { task }) => reported.push(task),
    });
    const job = () => {
      throw new Error('job failed');
    };
    Object.defineProperty(job, 'name', { value: Symbol('job') });

    const handle = queue.add(job);
    await queue.runAll();

    expect(handle.name).toBe('anonymous');
    expect(reported).toEqual(['anonymous']);
  });

  it('counts nothing when reading the function fails', () => {
    const { tasks } = buildApp(() => {});
    const queue = new BackgroundTasks();
    const job = () => {};
    Object.defineProperty(job, 'name', {
      get() {
        throw new Error('name boom');
      },
    });

    expect(() => queue.add(job)).toThrow('name boom');
    expect(queue.size).toBe(0);
    expect(tasks.stats().queued).toBe(0);
  });

  it('fails a task whose promise has a throwing then, and goes on', async () => {
    const failures: unknown[] = [];
    const queue = new BackgroundTasks({
      onError: (error) => failures.push(error),
    });
    const broken = Promise.resolve();
    Object.defineProperty(broken, 'then', {
      value: () => {
        throw new Error('then boom');
      },
    });
    queue.add(() => broken);
    const next = queue.add(() => {});

    const summary = await queue.runAll();

    expect(summary).toMatchObject({ failed: 1, succeeded: 1 });
    expect(failures).toEqual([new Error('then boom')]);
    expect(next.status).toBe('succeeded');
  });

  it('survives hooks that throw values which cannot be inspected', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const queue = new BackgroundTasks({
      onError: () => {
        throw uninspectable;
      },
      onTaskStart: () => {
        throw uninspectable;
      },
      onTaskEnd: () => Promise.reject(uninspectable),
    });
    queue.add(() => {
      throw new Error('x');
    });
    const next = queue.add(() => {});

    const summary = await queue.runAll();
    await new Promise((resolve) => setImmediate(resolve));
    const written = stderr.mock.calls.map(([text]) => String(text)).join('');
    stderr.mockRestore();

    expect(summary).toMatchObject({ failed: 1, succeeded: 1 });
    expect(next.status).toBe('succeeded');
    expect(written).toContain('[an error that cannot be shown]');
  });

  it('refuses runAll() from inside its own task instead of hanging', async () => {
    const failures: unknown[] = [];
    const queue = new BackgroundTasks({
      onError: (error) => failures.push(error),
    });
    queue.add(async function waitsForItself() {
      await queue.runAll();
    });

    await queue.runAll();

    expect(String(failures[0])).toContain(
      'runAll() was called from inside task "waitsForItself"',
    );
  });

  it('refuses drain() from inside a task of the same middleware', async () => {
    const failures: unknown[] = [];
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          res.locals.tasks.add(async function waitsForAll() {
            await tasks.drain();
          });
          res.send('ok');
        });
      },
      { onError: (error) => failures.push(error) },
    );

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(String(failures[0])).toContain(
      'drain() was called from inside task "waitsForAll"',
    );
  });

  it('refuses runAll() on a request queue before the response', async () => {
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(() => {});
        try {
          void res.locals.tasks.runAll();
          res.send('ran early');
        } catch (error) {
          res.send((error as Error).message);
        }
      });
    });

    const res = await request(app).get('/').expect(200);
    await tasks.drain();

    expect(res.text).toMatch(/^runAll\(\) was called before the response/);
    expect(tasks.stats()).toMatchObject({ succeeded: 1 });
  });
});

describe('hooks', () => {
  it('run in the async context of the task', async () => {
    const storage = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    const look = (hook: string) => {
      const task = currentTask() as CurrentTask | undefined;
      seen.push(`${hook}:${storage.getStore()}:${task?.name}`);
    };
    const queue = new BackgroundTasks({
      onTaskStart: () => look('start'),
      onTaskEnd: () => look('end'),
      onError: () => look('error'),
    });
    storage.run('span-1', () => {
      queue.add(function traced() {
        throw new Error('x');
      });
    });

    await queue.runAll();

    expect(seen).toEqual([
      'start:span-1:traced',
      'error:span-1:traced',
      'end:span-1:traced',
    ]);
  });
});

describe('cancelled tasks', () => {
  it('do not pile up on a long-lived response', async () => {
    const queue = new BackgroundTasks();
    const cycle = () => {
      let previous = queue.add(() => {});
      for (let i = 0; i < 100_000; i++) {
        previous.cancel();
        previous = queue.add(() => {});
      }
    };
    cycle();
    collectGarbage();
    const before = process.memoryUsage().heapUsed;

    cycle();
    collectGarbage();
    const growth = process.memoryUsage().heapUsed - before;

    // Each kept task costs a few hundred bytes: 100,000 would be >10 MB.
    expect(growth).toBeLessThan(2 * 1024 * 1024);
    expect(queue.size).toBe(2);
    expect(await queue.runAll()).toMatchObject({
      succeeded: 2,
      cancelled: 200_000,
    });
  });
});

describe('odd options', () => {
  it('accept only plain objects as options', () => {
    const queue = new BackgroundTasks();
    for (const options of [new Date(), /re/, Promise.resolve()]) {
      expect(() => queue.add(untyped<TaskOptions>(options), () => {})).toThrow(
        /^add\(\): options must be a plain object, received /,
      );
    }
    expect(() =>
      backgroundTasks(untyped(Object.create({ when: 'x' }))),
    ).toThrow(TypeError);
    expect(queue.size).toBe(0);
  });

  it('turn a throwing getter or proxy into a TypeError naming it', () => {
    const getter = {
      get timeoutMs() {
        throw new Error('getter boom');
      },
    };
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('keys boom');
        },
      },
    );

    expect(() => backgroundTasks(untyped(getter))).toThrow(TypeError);
    expect(() => backgroundTasks(untyped(getter))).toThrow(
      'backgroundTasks(): option "timeoutMs" could not be read',
    );
    expect(() => backgroundTasks(untyped(proxy))).toThrow(TypeError);
    expect(() => backgroundTasks(untyped(proxy))).toThrow(
      'backgroundTasks(): options could not be read',
    );
  });

  it('describe values that cannot be inspected, and cut long ones', () => {
    expect(() =>
      backgroundTasks(untyped({ timeoutMs: uninspectable })),
    ).toThrow('received [a value that cannot be shown] (object)');
    const long = 'x'.repeat(50_000);
    let message = '';
    try {
      backgroundTasks(untyped({ when: long }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message.length).toBeLessThan(200);
    expect(message).toContain('…');
  });
});
