import { resolve } from 'node:path';
import { createApp } from './app';
import { shutDown } from './shutdown';

const port = Number(process.env.PORT ?? 3000);
const dataDir = resolve(process.env.DATA_DIR ?? 'example-data');
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);

function log(message: string): void {
  const time = new Date().toISOString().slice(11, 23);
  console.log(`${time} ${message}`);
}

const { app, tasks } = createApp({
  dataDir,
  taskDelayMs: Number(process.env.TASK_DELAY_MS ?? 500),
  flakyRate: Number(process.env.FLAKY_RATE ?? 0.3),
  log,
});

const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actualPort = typeof address === 'object' ? address?.port : port;
  log(`order service listening on http://127.0.0.1:${actualPort}`);
  log(`receipts and audit log go to ${dataDir}`);
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
  process.exit(0);
}

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
