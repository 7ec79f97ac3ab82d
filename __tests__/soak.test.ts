import { Agent, request as httpRequest } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import request from 'supertest';
import { aliveAfterGc, buildApp, listen, watchProcess } from './helpers/app.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
jest.setTimeout(60_000);

const requests = 3000;
const parallel = 50;
const concurrency = 8;
/** Heap growth allowed after the load and a full GC. */
const heapBoundBytes = 5 * 1024 * 1024;

function heapAfterGc(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** Sends request `n`; every 11th hangs up before the answer is done. */
function send(url: string, n: number, agent: Agent): Promise<void> {
  const hangUp = n % 11 === 0;
  return new Promise((resolve) => {
    const req = httpRequest(`${url}/work/${n}`, { agent }, (res) => {
      if (hangUp) {
        req.destroy();
        resolve();
        return;
      }
      res.resume().on('end', resolve);
    });
    req.on('error', () => resolve());
    req.end();
  });
}

describe('a soak under bounded loopback load', () => {
  it('accounts for every task, within limits, and frees the memory', async () => {
    const trouble = watchProcess();
    let added = 0;
    let running = 0;
    let peak = 0;
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/work/:n', (req, res) => {
          const n = Number(req.params.n);
          const queue = res.locals.tasks;
          queue.add(async () => {});
          queue.add({ when: 'success' }, async () => {
            if (n % 5 === 0) throw new Error(`failure ${n}`);
          });
          queue.add({ timeoutMs: 20 }, () =>
            n % 7 === 0 ? new Promise(() => {}) : Promise.resolve(),
          );
          added += 3;
          if (n % 11 === 0) res.write('partial');
          else res.send('done');
        });
      },
      {
        concurrency,
        onError: () => {},
        onTaskStart: () => {
          running++;
          peak = Math.max(peak, running);
        },
        onTaskEnd: () => {
          running--;
        },
      },
    );
    const server = await listen(app);
    await request(server.url).get('/work/1').expect(200);
    await tasks.drain();
    const heapBefore = heapAfterGc();

    const agent = new Agent({ keepAlive: true, maxSockets: parallel });
    let next = 0;
    const worker = async () => {
      while (next < requests) await send(server.url, next++, agent);
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    await tasks.drain();
    agent.destroy();
    await server.close();
    const heapGrowth = heapAfterGc() - heapBefore;
    trouble.stop();

    const stats = tasks.stats();
    const ended =
      stats.succeeded +
      stats.failed +
      stats.timedOut +
      stats.skipped +
      stats.cancelled;
    expect(stats.queued + stats.running).toBe(0);
    expect(ended).toBe(added);
    expect(stats.timedOut).toBeGreaterThan(0);
    expect(stats.failed).toBeGreaterThan(0);
    expect(stats.skipped).toBeGreaterThan(0);
    expect(peak).toBeLessThanOrEqual(concurrency);
    expect(trouble.unhandled).toEqual([]);
    expect(trouble.uncaught).toEqual([]);
    expect(heapGrowth).toBeLessThan(heapBoundBytes);
  });
});

describe('a task that never settles', () => {
  it('does not keep its request in memory once it timed out', async () => {
    const pending: Promise<never>[] = [];
    const requests: WeakRef<object>[] = [];
    const { app, tasks } = buildApp(
      (app) => {
        app.get('/', (req, res) => {
          requests.push(new WeakRef(req));
          res.locals.tasks.add(() => {
            // Something outside keeps the promise: a pool, a socket...
            const forever = new Promise<never>(() => {});
            pending.push(forever);
            return forever;
          });
          res.send('ok');
        });
      },
      { timeoutMs: 10, onError: () => {} },
    );

    for (let i = 0; i < 10; i++) await request(app).get('/').expect(200);
    await tasks.drain();

    expect(pending).toHaveLength(10);
    expect(await aliveAfterGc(requests, collectGarbage)).toEqual([]);
    expect(tasks.stats()).toMatchObject({ timedOut: 10, running: 0 });
  });
});
