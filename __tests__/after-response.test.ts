import { get } from 'node:http';
import request from 'supertest';
import { buildApp, deferred, listen } from './helpers/app.js';

describe('running after the response', () => {
  it('sends the full response while a slow task is still running', async () => {
    const release = deferred();
    const taskStarted = deferred();
    let taskDone = false;
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(async () => {
          taskStarted.resolve();
          await release.promise;
          taskDone = true;
        });
        res.json({ ok: true });
      });
    });

    // The task cannot end before the test releases it, so a response that
    // waited for it would never arrive.
    await request(app).get('/').expect(200, { ok: true });
    await taskStarted.promise;
    expect(taskDone).toBe(false);

    release.resolve();
    await tasks.drain();
    expect(taskDone).toBe(true);
  });

  it('delivers the response on time beside a task that takes seconds', async () => {
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(
          () => new Promise((resolve) => setTimeout(resolve, 2000)),
        );
        res.send('fast');
      });
    });
    const server = await listen(app);

    // Wall-clock is the point here: the bound is generous on purpose.
    const started = Date.now();
    const body = await new Promise<string>((resolve) => {
      get(server.url, (res) => {
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve(text));
      });
    });
    const elapsed = Date.now() - started;

    expect(body).toBe('fast');
    expect(elapsed).toBeLessThan(1000);
    await tasks.drain();
    await server.close();
  });

  it('starts no task inside res.end() nor before the finish listeners', async () => {
    const seen: string[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(() => {
          seen.push('task');
        });
        res.on('finish', () => seen.push('finish listener 1'));
        res.on('finish', () => seen.push('finish listener 2'));
        res.end('done');
        seen.push('end returned');
      });
    });

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(seen).toEqual([
      'end returned',
      'finish listener 1',
      'finish listener 2',
      'task',
    ]);
  });

  it('runs each task once when close is emitted twice', async () => {
    const seen: string[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(() => {
          seen.push('task');
        });
        res.on('finish', () => seen.push('finish'));
        res.on('close', () => seen.push('close'));
        // A second 'close', by hand: the queue must still drain once.
        res.end('done');
        res.emit('close');
        seen.push('after close');
      });
    });

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(seen.indexOf('task')).toBeGreaterThan(seen.indexOf('after close'));
    expect(seen.filter((entry) => entry === 'task')).toHaveLength(1);
  });
});
