import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Response } from 'express';
import request from 'supertest';
import { aliveAfterGc, buildApp, watchProcess } from './helpers/app.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Counts the listeners that the middleware itself adds to `res`. */
function listenerCounts(res: Response): number {
  return res
    .eventNames()
    .reduce((sum, name) => sum + res.listenerCount(name), 0);
}

describe('footprint', () => {
  it('adds no listener to a request that adds no task', async () => {
    const counts: number[] = [];
    const { app } = buildApp((app) => {
      app.get('/', (_req, res) => {
        counts.push(listenerCounts(res));
        res.send('ok');
      });
    });
    const bare = buildApp(() => {});
    bare.app.get('/', (_req, res) => {
      counts.push(listenerCounts(res));
      res.send('ok');
    });

    await request(app).get('/').expect(200);
    await request(bare.app).get('/').expect(200);

    expect(counts[0]).toBe(counts[1]);
  });

  it('adds one listener however many tasks a request adds', async () => {
    const trouble = watchProcess();
    const added: number[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        const before = listenerCounts(res);
        for (let i = 0; i < 50; i++) res.locals.tasks.add(() => {});
        added.push(listenerCounts(res) - before);
        res.send('ok');
      });
    });

    await request(app).get('/').expect(200);
    await tasks.drain();
    trouble.stop();

    expect(added).toEqual([1]);
    expect(tasks.stats()).toMatchObject({ succeeded: 50 });
    expect(trouble.warnings).toEqual([]);
  });

  it('retains nothing of a request once its queue has drained', async () => {
    const queues: WeakRef<object>[] = [];
    const requests: WeakRef<object>[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/', (req, res) => {
        res.locals.tasks.add(
          async (payload: number[]) => payload.length,
          [1, 2, 3],
        );
        queues.push(new WeakRef(res.locals.tasks));
        requests.push(new WeakRef(req));
        res.send('ok');
      });
    });

    for (let i = 0; i < 20; i++) await request(app).get('/').expect(200);
    await tasks.drain();

    const refs = [...queues, ...requests];
    expect(await aliveAfterGc(refs, collectGarbage)).toEqual([]);
    expect(tasks.stats()).toMatchObject({ queued: 0, running: 0 });
  });
});
