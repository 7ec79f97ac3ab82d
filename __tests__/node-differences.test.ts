// Behaviour that Node versions differ on, where the tests run on every
// Node in the matrix (npm run test:matrix): which of 'finish' and 'close'
// fire for a body the client never received, and which async context a
// stream callback runs in.
import { AsyncLocalStorage } from 'node:async_hooks';
import { connect, type Socket } from 'node:net';
import { finished, pipeline, Readable } from 'node:stream';
import type { Response } from 'express';
import request from 'supertest';
import type { ErrorContext, TaskHandle } from '../lib/index.js';
import { buildApp, deferred, listen } from './helpers/app.js';

/** Far more than loopback socket buffers hold, so it cannot all be sent
 * to a client that reads nothing. */
const hugeBody = Buffer.alloc(32 * 1024 * 1024);

/** Sends a GET on a raw socket that never reads a byte of the answer. */
function sendWithoutReading(url: string, path: string): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.pause();
  socket.on('error', () => {});
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\n\r\n`);
  return socket;
}

describe('when the client resets a huge body it never read', () => {
  async function abortHugeBody() {
    const contexts: ErrorContext[] = [];
    const handles: TaskHandle[] = [];
    const sent = deferred();
    const closed = deferred();
    let runs = 0;
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/huge', (_req, res) => {
          handles.push(
            res.locals.tasks.add(function audit() {
              runs++;
              throw new Error('audit failed');
            }),
            res.locals.tasks.add({ when: 'success' }, function receipt() {}),
          );
          res.once('close', () => closed.resolve());
          res.type('application/octet-stream').send(hugeBody);
          sent.resolve();
        });
      },
      { onError: (_error, context) => contexts.push(context) },
    );
    const server = await listen(app);

    const socket = sendWithoutReading(server.url, '/huge');
    await sent.promise;
    socket.destroy();
    await closed.promise;
    await tasks.drain();
    await server.close();

    return { runs, contexts, handles };
  }

  it('runs the tasks exactly once', async () => {
    const { runs, contexts } = await abortHugeBody();

    expect(runs).toBe(1);
    expect(contexts).toHaveLength(1);
    expect(contexts[0]?.statusCode).toBe(200);
  });

  // Node 20 and 22 emit 'finish' (and set `writableFinished`) for a body
  // whose socket was reset before it was delivered; Node 24 does not.
  it('reports the response as aborted', async () => {
    const { contexts, handles } = await abortHugeBody();

    expect(contexts[0]?.aborted).toBe(true);
    expect(handles[1]?.status).toBe('skipped');
  });
});

describe('when the client reads the whole body', () => {
  it('runs the tasks once and reports the response as sent', async () => {
    const contexts: ErrorContext[] = [];
    const closed = deferred();
    let runs = 0;
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (_req, res) => {
          res.locals.tasks.add(function audit() {
            runs++;
            throw new Error('audit failed');
          });
          res.once('close', () => closed.resolve());
          res.send('ok');
        });
      },
      { onError: (_error, context) => contexts.push(context) },
    );
    const server = await listen(app);

    const response = await fetch(server.url);
    expect(await response.text()).toBe('ok');
    await closed.promise;
    await server.close();
    await tasks.drain();

    expect(runs).toBe(1);
    expect(contexts.map((context) => context.aborted)).toEqual([false]);
  });
});

describe('when the client leaves before the handler responds', () => {
  it('runs tasks added before and after the close, once each', async () => {
    const contexts: ErrorContext[] = [];
    const ran: string[] = [];
    const handled = deferred();
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/slow', (_req, res) => {
          const fail = (step: string) => {
            ran.push(step);
            throw new Error(step);
          };
          res.locals.tasks.add(fail, 'before');
          res.locals.tasks.add({ when: 'success' }, fail, 'receipt');
          res.once('close', () => res.locals.tasks.add(fail, 'after'));
          handled.resolve();
        });
      },
      { onError: (_error, context) => contexts.push(context) },
    );
    const server = await listen(app);

    const socket = sendWithoutReading(server.url, '/slow');
    await handled.promise;
    socket.destroy();
    await tasks.drain();
    await server.close();

    expect(ran).toEqual(['before', 'after']);
    expect(contexts.map((context) => context.aborted)).toEqual([true, true]);
    expect(tasks.stats()).toMatchObject({ failed: 2, skipped: 1 });
  });
});

describe('a task added in a stream callback', () => {
  const storage = new AsyncLocalStorage<string>();

  /** Sends requests at once; each route sees its id in `storage`. */
  async function requestEach(
    route: (res: Response, record: () => void) => void,
  ) {
    const seen: string[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/:id', (req, res) => {
        const id = String(req.params.id);
        storage.run(id, () => {
          route(res, () => {
            const atAdd = storage.getStore();
            res.locals.tasks.add(() => {
              const inTask = storage.getStore();
              seen.push(`${id}: ${atAdd} at add, ${inTask} in task`);
            });
          });
        });
      });
    });

    const ids = ['1', '2', '3', '4', '5'];
    await Promise.all(ids.map((id) => request(app).get(`/${id}`).expect(200)));
    await tasks.drain();

    const expected = ids.map((id) => `${id}: ${id} at add, ${id} in task`);
    return { seen: seen.sort(), expected };
  }

  it('sees the context of its add() inside a finished() callback', async () => {
    const { seen, expected } = await requestEach((res, record) => {
      finished(res, record);
      res.send('ok');
    });

    expect(seen).toEqual(expected);
  });

  it('sees the context of its add() inside a pipeline() callback', async () => {
    const { seen, expected } = await requestEach((res, record) => {
      pipeline(Readable.from(['o', 'k']), res, record);
    });

    expect(seen).toEqual(expected);
  });
});
