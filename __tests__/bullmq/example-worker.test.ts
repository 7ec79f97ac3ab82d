import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Queue, QueueEvents } from 'bullmq';
import {
  type Child,
  connection,
  openQueue,
  removeQueue,
  startScript,
} from '../helpers/redis.js';

jest.setTimeout(30_000);

const root = join(__dirname, '..', '..');

describe('the example worker (npm run example:worker)', () => {
  let queue: Queue;
  let events: QueueEvents;
  let worker: Child | undefined;
  let dataDir: string;

  beforeAll(() => {
    // The example imports the package by name, as a user would.
    if (!existsSync(join(root, 'dist', 'bullmq.js'))) {
      throw new Error('The example imports the built package: npm run build');
    }
  });
  beforeEach(async () => {
    queue = await openQueue('example');
    events = new QueueEvents(queue.name, {
      connection: { ...connection, maxRetriesPerRequest: null },
    });
    await events.waitUntilReady();
    dataDir = await mkdtemp(join(tmpdir(), 'ebt-worker-'));
  });
  afterEach(async () => {
    worker?.kill();
    await worker?.exited;
    await events.close();
    await removeQueue(queue);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs the order tasks by name, then stops on SIGTERM', async () => {
    const started = startScript(
      join(root, 'example-app', 'worker.ts'),
      {
        QUEUE: queue.name,
        DATA_DIR: dataDir,
        TASK_DELAY_MS: '0',
        FLAKY_RATE: '0',
      },
      true,
    );
    worker = started;
    const order = { id: 'abc123', item: 'book', quantity: 2, email: 'a@b.c' };

    const job = await queue.add('writeReceipt', [order]);
    await job.waitUntilFinished(events, 20_000);
    started.kill('SIGTERM');

    expect(await started.exited).toBe(0);
    expect(
      await readFile(join(dataDir, 'receipts', 'abc123.txt'), 'utf8'),
    ).toBe('Receipt for order abc123\n2 x book\nSent to a@b.c\n');
  });
});
