import request from 'supertest';
import type { ErrorContext } from '../lib/index.js';
import { buildApp, failOnProcessTrouble } from './helpers/app.js';

type Failure = [unknown, ErrorContext];

function appWithFailures(
  failures: Failure[],
  addTasks: (tasks: Express.Locals['tasks']) => void,
) {
  return buildApp(
    (app) => {
      app.post('/orders', (_req, res) => {
        addTasks(res.locals.tasks);
        res.status(201).send('created');
      });
    },
    { onError: (error, context) => failures.push([error, context]) },
  );
}

describe('task failures', () => {
  failOnProcessTrouble();

  it('reports a sync throw, a rejection and thrown values, then goes on', async () => {
    const failures: Failure[] = [];
    const thrown = new Error('sync');
    const rejected = new Error('async');
    const ran: string[] = [];
    const { app, tasks, expressErrors } = appWithFailures(failures, (t) => {
      t.add(function throwsSync() {
        throw thrown;
      });
      t.add(async function rejects() {
        throw rejected;
      });
      t.add(function throwsString() {
        throw 'plain string';
      });
      t.add({ name: 'throwsUndefined' }, () => {
        throw undefined;
      });
      t.add(() => {
        ran.push('last');
      });
    });

    await request(app).post('/orders').expect(201);
    await tasks.drain();

    expect(failures.map(([error]) => error)).toEqual([
      thrown,
      rejected,
      'plain string',
      undefined,
    ]);
    expect(failures[0]?.[0]).toBe(thrown);
    expect(failures.map(([, context]) => context.task)).toEqual([
      'throwsSync',
      'rejects',
      'throwsString',
      'throwsUndefined',
    ]);
    expect(ran).toEqual(['last']);
    expect(expressErrors).toEqual([]);
  });

  it('gives onError the request, response, status and abort state', async () => {
    const failures: Failure[] = [];
    const { app, tasks } = appWithFailures(failures, (t) => {
      t.add(function fails() {
        throw new Error('boom');
      });
    });

    await request(app).post('/orders').expect(201);
    await tasks.drain();

    const [, context] = failures[0] as Failure;
    expect(context.task).toBe('fails');
    expect(context.aborted).toBe(false);
    expect(context.statusCode).toBe(201);
    expect(context.req?.method).toBe('POST');
    expect(context.res?.statusCode).toBe(201);
  });

  it('writes a throwing or rejecting onError to stderr and keeps going', async () => {
    const stderr = jest.spyOn(process.stderr, 'write').mockReturnValue(true);
    const warn = jest.spyOn(process, 'emitWarning');
    const calls: string[] = [];
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          res.locals.tasks.add(function first() {
            throw new Error('one');
          });
          res.locals.tasks.add(function second() {
            throw new Error('two');
          });
          res.locals.tasks.add(function third() {
            calls.push('third ran');
          });
          res.send('ok');
        });
      },
      {
        onError: (_error, { task }) => {
          calls.push(`onError ${task}`);
          if (task === 'first') throw new Error('hook threw');
          return Promise.reject(new Error('hook rejected'));
        },
      },
    );

    await request(app).get('/').expect(200);
    await tasks.drain();
    // The rejected hook's promise is reported on a later microtask.
    await new Promise((resolve) => setImmediate(resolve));

    const written = stderr.mock.calls.map(([text]) => String(text));
    stderr.mockRestore();
    warn.mockRestore();
    expect(calls).toEqual(['onError first', 'onError second', 'third ran']);
    expect(written.some((text) => text.includes('hook threw'))).toBe(true);
    expect(written.some((text) => text.includes('hook rejected'))).toBe(true);
    expect(written.join('')).toMatch(
      /onError failed while handling task "first"/,
    );
    expect(warn).not.toHaveBeenCalled();
  });

  it('reports by default one line naming the task, method, URL and status', async () => {
    const printed = jest.spyOn(console, 'error').mockImplementation(() => {});
    const failure = new Error('smtp down');
    const { app, tasks } = buildApp((app) => {
      app.post('/orders', (_req, res) => {
        res.locals.tasks.add(function sendReceipt() {
          throw failure;
        });
        res.status(201).end();
      });
    }, {});

    await request(app).post('/orders?x=1').expect(201);
    await tasks.drain();

    expect(printed).toHaveBeenCalledTimes(1);
    const [line, error] = printed.mock.calls[0] ?? [];
    printed.mockRestore();
    expect(line).toBe(
      'express-background-tasks: task "sendReceipt" failed after ' +
        'POST /orders?x=1 (201):',
    );
    // console.error prints an Error with its stack.
    expect(error).toBe(failure);
  });

  it('keeps task errors away from the Express error handler', async () => {
    const failures: Failure[] = [];
    const { app, tasks, expressErrors } = appWithFailures(failures, (t) => {
      t.add(async () => {
        throw new Error('late');
      });
    });

    await request(app).post('/orders').expect(201);
    await request(app).post('/orders').expect(201);
    await tasks.drain();

    expect(failures).toHaveLength(2);
    expect(expressErrors).toEqual([]);
  });
});
