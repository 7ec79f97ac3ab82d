import request from 'supertest';
import {
  BackgroundTasks,
  type BackgroundTasksOptions,
  backgroundTasks,
  type TaskOptions,
} from '../lib/index.js';
import { buildApp, createExpress } from './helpers/app.js';

/** Calls what a JavaScript user could, past the type checker. */
function untyped<T>(value: unknown): T {
  return value as T;
}

describe('add() refuses bad input', () => {
  it('throws a TypeError naming a non-function and adds nothing', () => {
    const queue = new BackgroundTasks();
    expect(() => queue.add(untyped(123))).toThrow(
      new TypeError(
        'add(): the first argument must be a task function or an options ' +
          'object, received 123 (number)',
      ),
    );
    expect(() => queue.add({}, untyped<() => void>('sendReceipt'))).toThrow(
      "add(): the task after the options must be a function, received 'sendReceipt' (string)",
    );
    expect(() => queue.add(untyped(null))).toThrow(TypeError);
    expect(queue.size).toBe(0);
  });

  it('throws for a bad or unknown task option', () => {
    const queue = new BackgroundTasks();
    const task = () => {};

    expect(() =>
      queue.add(untyped<TaskOptions>({ when: 'sometimes' }), task),
    ).toThrow(
      new TypeError(
        "add(): option \"when\" must be 'always' or 'success', " +
          "received 'sometimes' (string)",
      ),
    );
    expect(() =>
      queue.add(untyped<TaskOptions>({ nmae: 'receipt' }), task),
    ).toThrow(/add\(\): unknown option "nmae". Did you mean "name"\?/);
    expect(() => queue.add({ name: '' }, task)).toThrow(TypeError);
    expect(() => queue.add({ timeoutMs: 0 }, task)).toThrow(RangeError);
    expect(queue.size).toBe(0);
  });

  it('counts nothing in the middleware when add() throws', async () => {
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        expect(() => res.locals.tasks.add(untyped(undefined))).toThrow(
          TypeError,
        );
        res.send(String(res.locals.tasks.size));
      });
    });

    await request(app).get('/').expect(200, '0');
    expect(tasks.stats()).toEqual({
      queued: 0,
      running: 0,
      succeeded: 0,
      failed: 0,
      timedOut: 0,
      skipped: 0,
      cancelled: 0,
    });
  });
});

describe('backgroundTasks() refuses bad options', () => {
  const cases: [string, unknown, ErrorConstructor, string][] = [
    ['a typo', { onErorr: () => {} }, TypeError, 'Did you mean "onError"?'],
    ['a non-object', 'tasks', TypeError, "received 'tasks' (string)"],
    ['an array', [], TypeError, 'received [] (array)'],
    ['onError', { onError: 'log' }, TypeError, '"onError" must be a function'],
    ['when', { when: 'ok' }, TypeError, `"when" must be 'always' or 'success'`],
    ['stopOnError', { stopOnError: 1 }, TypeError, 'must be a boolean'],
    ['key', { key: '' }, TypeError, '"key" must be a non-empty string'],
    ['timeoutMs', { timeoutMs: -5 }, RangeError, 'received -5 (number)'],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }, RangeError, 'NaN (number)'],
    ['timeoutMs type', { timeoutMs: '5' }, TypeError, "received '5' (string)"],
    ['concurrency', { concurrency: 0 }, RangeError, 'at least 1'],
    ['maxQueued', { maxQueued: 1.5 }, RangeError, 'received 1.5 (number)'],
    ['onTaskEnd', { onTaskEnd: {} }, TypeError, 'must be a function'],
  ];

  it.each(cases)('throws for %s', (_label, options, type, message) => {
    const create = () => backgroundTasks(untyped(options));
    expect(create).toThrow(type);
    expect(create).toThrow(message);
    expect(create).toThrow(/^backgroundTasks\(\): /);
  });

  it('validates the standalone class the same way, without key', () => {
    expect(() => new BackgroundTasks(untyped({ whne: 'success' }))).toThrow(
      /new BackgroundTasks\(\): unknown option "whne". Did you mean "when"\?/,
    );
    expect(() => new BackgroundTasks(untyped({ concurrency: 2 }))).toThrow(
      '"concurrency" is an option of backgroundTasks()',
    );
    expect(() => new BackgroundTasks({ stopOnError: untyped('no') })).toThrow(
      TypeError,
    );
  });

  it('accepts every documented option', () => {
    const options: Required<BackgroundTasksOptions> = {
      onError: () => {},
      when: 'success',
      stopOnError: true,
      key: 'jobs',
      timeoutMs: 1000,
      concurrency: 4,
      maxQueued: 100,
      onTaskStart: () => {},
      onTaskEnd: () => {},
      transport: { enqueue: async () => {} },
      onEnqueueError: 'report',
    };
    expect(typeof backgroundTasks(options)).toBe('function');
  });
});

describe('the factory used as if it were the middleware', () => {
  it('throws an error that says to call backgroundTasks()', async () => {
    const app = createExpress();
    const errors: Error[] = [];
    app.use(untyped(backgroundTasks));
    app.get('/', (_req, res) => {
      res.send('unreachable');
    });
    app.use(
      (
        error: Error,
        _req: unknown,
        res: { status(code: number): { end(): void } },
        _next: unknown,
      ) => {
        errors.push(error);
        res.status(500).end();
      },
    );

    await request(app).get('/').expect(500);

    expect(errors[0]?.message).toContain('app.use(backgroundTasks())');
  });
});
