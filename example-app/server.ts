import { resolve } from 'node:path';
import { Queue } from 'bullmq';
import { bullmqTransport } from 'express-background-tasks/bullmq';
import { createApp } from './app';
import { shutDown } from './shutdown';
import { orderQueueName } from './tasks';

/** A number from the environment, or the default; exits when invalid. */
function readNumber(name: string, fallback: number, max: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;

  const value = Number(text);
  if (Number.isFinite(value) && value >= 0 && value <= max) return value;
  console.error(`${name} must be a number from 0 to ${max}, got "${text}"`);
  process.exit(2);
}

const port = readNumber('PORT', 3000, 65_535);
const dataDir = resolve(process.env.DATA_DIR ?? 'example-data');
const shutdownTimeoutMs = readNumber('SHUTDOWN_TIMEOUT_MS', 10_000, 3_600_000);

function log(message: string): void {
  const time = new Date().toISOString().slice(11, 23);
  console.log(`${time} ${message}`);
}

// With REDIS_URL, the order tasks become BullMQ jobs that
// `npm run example:worker` runs; without it, they run in this process.
const redisUrl = process.env.REDIS_URL;
const queue = redisUrl
  ? new Queue(orderQueueName, { connection: { url: redisUrl } })
  : undefined;

const { app, tasks } = createApp(
  {
    dataDir,
    taskDelayMs: readNumber('TASK_DELAY_MS', 500, 3_600_000),
    flakyRate: readNumber('FLAKY_RATE', 0.3, 1),
    log,
  },
  queue && bullmqTransport(queue),
);

const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actualPort = typeof address === 'object' ? address?.port : port;
  log(`order service listening on http://127.0.0.1:${actualPort}`);
  log(`receipts and audit log go to ${dataDir}`);
  if (queue) log(`tasks go to BullMQ queue "${orderQueueName}" at ${redisUrl}`);
});

server.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EADDRINUSE') throw error;
  console.error(`port ${port} is in use: set PORT to another one`);
  process.exit(2);
});

let stopping = false;
async function onSignal(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    log(`${signal} again: exiting now`);
    process.exit(1);
  }
  stopping = true;
  log(`${signal}: closing, waiting up to ${shutdownTimeoutMs} ms for tasks`);

  const report = await shutDown(server, tasks, shutdownTimeoutMs);
  if (report.completed) log('every task finished; bye');
  else log(`deadline passed; abandoned: ${report.abandoned.join(', ')}`);
  log(`final stats ${JSON.stringify(tasks.stats())}`);
  await queue?.close();
  process.exit(0);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
