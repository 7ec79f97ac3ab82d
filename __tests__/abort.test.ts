import { request as httpRequest } from 'node:http';
import type { ErrorContext } from '../lib/index.js';
import { buildApp, deferred, listen } from './helpers/app.js';

/** Sends a request and hangs up as soon as the headers arrive. */
function requestThenHangUp(url: string): Promise<void> {
  return new Promise((resolve) => {
    const req = httpRequest(url, (res) => {
      res.destroy();
      req.destroy();
      resolve();
    });
    req.on('error', () => {});
    req.end();
  });
}

describe('when the client hangs up', () => {
  it('still runs the tasks and says the response was aborted', async () => {
    const ran: string[] = [];
    const contexts: ErrorContext[] = [];
    const closed = deferred();
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/stream', (_req, res) => {
          res.locals.tasks.add(() => {
            ran.push('audit');
          });
          res.locals.tasks.add(function fails() {
            throw new Error('x');
          });
          res.on('close', () => closed.resolve());
          res.write('partial');
        });
      },
      { onError: (_error, context) => contexts.push(context) },
    );
    const server = await listen(app);

    await requestThenHangUp(`${server.url}/stream`);
    await closed.promise;
    await tasks.drain();

    expect(ran).toEqual(['audit']);
    expect(contexts[0]?.aborted).toBe(true);
    expect(tasks.stats()).toMatchObject({ succeeded: 1, failed: 1 });
    await server.close();
  });

  it("skips and counts tasks whose policy is 'success'", async () => {
    const ran: string[] = [];
    const closed = deferred();
    const summary = deferred<unknown>();
    const { app, tasks } = buildApp((app) => {
      app.get('/stream', (_req, res) => {
        res.locals.tasks.add({ when: 'success' }, () => {
          ran.push('receipt');
        });
        res.locals.tasks.add(() => {
          ran.push('cleanup');
        });
        res.on('close', () => {
          closed.resolve();
          res.locals.tasks.runAll().then(summary.resolve);
        });
        res.write('partial');
      });
    });
    const server = await listen(app);

    await requestThenHangUp(`${server.url}/stream`);
    await closed.promise;
    await tasks.drain();

    expect(ran).toEqual(['cleanup']);
    expect(await summary.promise).toEqual({
      succeeded: 1,
      failed: 0,
      timedOut: 0,
      skipped: 1,
      cancelled: 0,
    });
    expect(tasks.stats()).toMatchObject({ skipped: 1, succeeded: 1 });
    await server.close();
  });
});

describe('a response that finishes and closes', () => {
  it('drains its queue exactly once', async () => {
    const events: string[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(async () => {
          events.push('first starts');
          await new Promise((resolve) => setImmediate(resolve));
          events.push('first ends');
        });
        res.locals.tasks.add(() => {
          events.push('second');
        });
        res.send('ok');
      });
    });
    const server = await listen(app);

    const finished = await fetch(server.url);
    await finished.text();
    await tasks.drain();

    // A second run of the same queue would start the second task while
    // the first one waits, or run a task twice.
    expect(events).toEqual(['first starts', 'first ends', 'second']);
    expect(tasks.stats()).toMatchObject({ succeeded: 2 });
    await server.close();
  });
});
