import { execFileSync } from 'node:child_process';
import request from 'supertest';
import {
  BackgroundTasks,
  backgroundTasks,
  defineTask,
  type JobDefaults,
  type TaskOptions,
} from '../lib/index.js';
import { buildApp } from './helpers/app.js';

/** Calls what a JavaScript user could, past the type checker. */
function untyped<T>(value: unknown): T {
  return value as T;
}

const sendReceipt = defineTask(
  'sendReceipt',
  (orderId: number, email: string) => `${orderId} ${email}`,
  { attempts: 3, backoff: { type: 'exponential', delay: 100 } },
);

describe('defineTask()', () => {
  it('returns a callable task with its name and frozen defaults', () => {
    expect(sendReceipt(7, 'a@b.c')).toBe('7 a@b.c');
    expect(sendReceipt.name).toBe('sendReceipt');
    expect(sendReceipt.defaults).toEqual({
      attempts: 3,
      backoff: { type: 'exponential', delay: 100 },
    });
    expect(Object.isFrozen(sendReceipt.defaults)).toBe(true);
  });

  it('runs in-process, by name, when no transport is set', async () => {
    const ran: string[] = [];
    const audit = defineTask('audit', (line: string) => {
      ran.push(line);
    });
    const queue = new BackgroundTasks();
    const handle = queue.add(audit, 'created');

    await queue.runAll();

    expect(handle).toMatchObject({ name: 'audit', status: 'succeeded' });
    expect(ran).toEqual(['created']);
  });

  const cases: [string, () => unknown, ErrorConstructor, RegExp][] = [
    ['an empty name', () => defineTask('', () => {}), TypeError, /name/],
    [
      'a non-function',
      () => defineTask('audit', untyped<() => void>('log')),
      TypeError,
      /defineTask\("audit"\): the task must be a function, received 'log'/,
    ],
    [
      'defaults that are not an object',
      () => defineTask('audit', () => {}, untyped([])),
      TypeError,
      /job defaults must be an object, received \[\] \(array\)/,
    ],
    [
      'a jobId default',
      () => defineTask('audit', () => {}, { jobId: 'same' }),
      TypeError,
      /"jobId" cannot be a default/,
    ],
    [
      'zero attempts',
      () => defineTask('audit', () => {}, { attempts: 0 }),
      RangeError,
      /"attempts" must be a whole number from 1 .* received 0 \(number\)/,
    ],
    [
      'a backoff without a type',
      () => defineTask('audit', () => {}, { backoff: untyped({ delay: 5 }) }),
      TypeError,
      /"backoff" must be milliseconds or an object with a string "type"/,
    ],
    [
      'a fractional priority',
      () => defineTask('audit', () => {}, { priority: 1.5 }),
      RangeError,
      /"priority" must be a whole number from 0 to 2097151/,
    ],
  ];

  it.each(cases)('throws for %s', (_label, define, type, message) => {
    expect(define).toThrow(type);
    expect(define).toThrow(message);
  });

  it('passes other BullMQ job options through unchecked', () => {
    const defaults: JobDefaults = { removeOnComplete: 100, lifo: true };
    expect(defineTask('audit', () => {}, defaults).defaults).toEqual(defaults);
  });
});

describe('add() with a defined task', () => {
  const refused: [string, TaskOptions, unknown[], ErrorConstructor, RegExp][] =
    [
      [
        'job on a plain function',
        { job: { priority: 1 } },
        [function audit() {}],
        TypeError,
        /option "job" applies only to tasks made with defineTask\(\), and "audit" is a plain function/,
      ],
      [
        'a name on a defined task',
        { name: 'receipt' },
        [sendReceipt, 1, 'a@b.c'],
        TypeError,
        /cannot rename the defined task "sendReceipt"/,
      ],
      [
        'a misspelt job option',
        { job: untyped({ jobID: 'order-1' }) },
        [sendReceipt, 1, 'a@b.c'],
        TypeError,
        /unknown job option "jobID". Did you mean "jobId"\?/,
      ],
      [
        'a whole-number jobId',
        { job: { jobId: '42' } },
        [sendReceipt, 1, 'a@b.c'],
        TypeError,
        /"jobId" must not be a whole number nor contain ":"/,
      ],
      [
        'a jobId with a colon',
        { job: { jobId: 'order:1' } },
        [sendReceipt, 1, 'a@b.c'],
        TypeError,
        /received 'order:1' \(string\)/,
      ],
      [
        'a negative delay',
        { job: { delay: -1 } },
        [sendReceipt, 1, 'a@b.c'],
        RangeError,
        /"delay" must be a whole number from 0/,
      ],
    ];

  it.each(refused)('throws for %s', (_label, options, rest, type, message) => {
    const queue = new BackgroundTasks();
    const add = () =>
      untyped<AddAnything>(queue.add.bind(queue))(options, ...rest);
    expect(add).toThrow(type);
    expect(add).toThrow(message);
    expect(add).toThrow(/^add\(\): /);
    expect(queue.size).toBe(0);
  });

  it('accepts job options for a defined task, without a transport', () => {
    const queue = new BackgroundTasks();
    const job = { jobId: 'order-7', delay: 10, priority: 2 };
    expect(queue.add({ job }, sendReceipt, 7, 'a@b.c').name).toBe(
      'sendReceipt',
    );
  });
});

type AddAnything = (...args: unknown[]) => unknown;

describe('arguments of a defined task', () => {
  const anything = defineTask('anything', (..._args: unknown[]) => {});
  const circular: Record<string, unknown> = { id: 1 };
  circular.self = { again: circular };

  const refused: [string, unknown[], string][] = [
    ['a function', [1, { notify() {} }], 'args[1].notify is a function'],
    ['a symbol', [[Symbol('x')]], 'args[0][0] is a symbol: Symbol(x)'],
    [
      'a bigint',
      [{ 'total-cents': 5n }],
      'args[0]["total-cents"] is a bigint: 5n',
    ],
    [
      'a circular structure',
      [circular],
      'args[0].self.again is a circular structure: it refers back to args[0]',
    ],
    [
      'a toJSON that returns a function',
      [{ toJSON: () => () => {} }],
      'args[0] is a function',
    ],
  ];

  it.each(refused)(
    'refuses %s, naming the task and where',
    (_, args, where) => {
      const queue = new BackgroundTasks();
      const add = () => queue.add(anything, ...args);
      expect(add).toThrow(TypeError);
      expect(add).toThrow(
        'add(): the arguments of task "anything" must survive JSON, since ' +
          `they become the job's data, but ${where}`,
      );
      expect(queue.size).toBe(0);
    },
  );

  it('accepts what JSON keeps, following toJSON like JSON.stringify', () => {
    const queue = new BackgroundTasks();
    const shared = { id: 1 };
    const args = [
      new Date(0),
      null,
      undefined,
      'text',
      [shared, shared],
      { nested: { deep: [1, true] } },
      { toJSON: () => 'custom', skipped: () => {} },
    ];
    expect(() => queue.add(anything, ...args)).not.toThrow();
  });

  it('leaves plain functions free to take any argument', () => {
    const queue = new BackgroundTasks();
    expect(() =>
      queue.add(
        (_callback: () => void) => {},
        () => {},
      ),
    ).not.toThrow();
  });

  it('counts nothing in the middleware when the check throws', async () => {
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        expect(() => res.locals.tasks.add(anything, 1n)).toThrow(TypeError);
        res.send(String(res.locals.tasks.size));
      });
    });

    await request(app).get('/').expect(200, '0');
    expect(tasks.stats().queued).toBe(0);
  });
});

describe('the transport options', () => {
  it('refuses a transport without enqueue() and an unknown policy', () => {
    expect(() => backgroundTasks({ transport: untyped({}) })).toThrow(
      /^backgroundTasks\(\): option "transport" must be an object with an enqueue\(\) method, such as bullmqTransport\(queue\), received \{\} \(object\)$/,
    );
    expect(() => backgroundTasks({ onEnqueueError: untyped('drop') })).toThrow(
      new TypeError(
        'backgroundTasks(): option "onEnqueueError" must be ' +
          "'run-locally' or 'report', received 'drop' (string)",
      ),
    );
    expect(() =>
      backgroundTasks(untyped({ onEnqueueErorr: 'report' })),
    ).toThrow(/Did you mean "onEnqueueError"\?/);
  });
});

describe('the main entry', () => {
  it('never loads bullmq or ioredis', () => {
    const script =
      "require('./lib/index.ts');" +
      'const paths = Object.keys(require.cache);' +
      'const found = paths.filter((p) => /node_modules.(bullmq|ioredis)./.test(p));' +
      'process.stdout.write(JSON.stringify([paths.length, found]));';
    const output = execFileSync(
      process.execPath,
      ['--require', 'ts-node/register/transpile-only', '-e', script],
      { cwd: `${__dirname}/..`, encoding: 'utf8', timeout: 20_000 },
    );
    const [loaded, found] = JSON.parse(output) as [number, string[]];

    expect(loaded).toBeGreaterThan(5);
    expect(found).toEqual([]);
  });
});
