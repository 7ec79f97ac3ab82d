import { request as httpRequest } from 'node:http';
import type { Queue } from 'bullmq';
import {
  type Child,
  openQueue,
  removeQueue,
  startFixture,
} from '../helpers/redis.js';

jest.setTimeout(20_000);

/** POSTs and resolves with the status once the response has ended. */
function post(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ port, path, method: 'POST', host: '127.0.0.1' });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('graceful shutdown with a transport', () => {
  let queue: Queue;
  let server: Child | undefined;

  beforeEach(async () => {
    queue = await openQueue('shutdown');
  });
  afterEach(async () => {
    server?.kill();
    await server?.exited;
    await removeQueue(queue);
  });

  it('waits in drain() for the enqueues still pending at SIGTERM', async () => {
    const count = 300;
    server = startFixture('server', { QUEUE: queue.name });
    const port = Number((await server.next('listening')).port);

    expect(await post(port, `/orders/${count}`)).toBe(201);
    server.kill('SIGTERM');
    const drained = await server.next('drained');
    const code = await server.exited;

    expect(code).toBe(0);
    // The signal came while jobs were still being handed over ...
    const atSignal = drained.atSignal as { queued: number; running: number };
    expect(atSignal.queued + atSignal.running).toBeGreaterThan(0);
    // ... and every one of them reached Redis before the process exited.
    expect(drained.report).toEqual({ completed: true, abandoned: [] });
    expect(drained.after).toMatchObject({ succeeded: count, failed: 0 });
    expect(await queue.getJobCountByTypes('wait')).toBe(count);
  });
});
