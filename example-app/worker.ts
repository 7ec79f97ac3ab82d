// Runs the order tasks that the server hands to BullMQ when REDIS_URL is
// set. Start as many as you like: `npm run example:worker`.
import { resolve } from 'node:path';
import { createWorker } from 'express-background-tasks/bullmq';
import { defineOrderTasks, orderQueueName } from './tasks';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function log(message: string): void {
  const time = new Date().toISOString().slice(11, 23);
  console.log(`${time} [worker ${process.pid}] ${message}`);
}

const tasks = defineOrderTasks({
  dataDir: resolve(process.env.DATA_DIR ?? 'example-data'),
  taskDelayMs: Number(process.env.TASK_DELAY_MS ?? 500),
  flakyRate: Number(process.env.FLAKY_RATE ?? 0.3),
  log,
});

const worker = createWorker(orderQueueName, Object.values(tasks), {
  // A worker blocks on Redis: BullMQ wants no per-command retry limit.
  connection: { url: redisUrl, maxRetriesPerRequest: null },
  concurrency: Number(process.env.WORKER_CONCURRENCY ?? 4),
  onError: (error, { task, job, attemptsMade, final }) => {
    const next = final ? 'gave up' : 'will retry';
    log(
      `job ${job?.id} ${task} FAILED (attempt ${attemptsMade}, ${next}): ` +
        error.message,
    );
  },
});
worker.on('ready', () => log(`waiting for jobs on "${orderQueueName}"`));
worker.on('error', (error) => log(`Redis trouble: ${error.message}`));

async function stop(signal: NodeJS.Signals): Promise<void> {
  log(`${signal}: finishing the jobs in hand, taking no more`);
  // A job still running after this is retried by another worker.
  await worker.close();
  process.exit(0);
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
