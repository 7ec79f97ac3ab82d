import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { basename } from 'node:path';
import { clearTimeout, setTimeout as startTimer } from 'node:timers';
import { Queue } from 'bullmq';

/** The Redis the tests use; `scripts/ensure-redis.sh` starts one. */
export const connection = {
  host: '127.0.0.1',
  port: 6379,
  // Fail in seconds, not minutes, when Redis is not there.
  connectTimeout: 2000,
  maxRetriesPerRequest: 1,
};

/** A queue name no other test or run uses. */
export function uniqueQueueName(label: string): string {
  return `ebt-test-${label}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * Opens a queue with a unique name, or fails fast with a hint when Redis
 * does not answer.
 */
export async function openQueue(label: string): Promise<Queue> {
  const queue = new Queue(uniqueQueueName(label), { connection });
  queue.on('error', () => {});
  await withDeadline(queue.waitUntilReady(), 5000, redisHint);
  return queue;
}

/** Deletes every key of the queue, then closes it. */
export async function removeQueue(queue: Queue): Promise<void> {
  await queue.obliterate({ force: true });
  await queue.close();
}

/** A loopback port that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Rejects with `message` if `promise` has not settled by `ms`. */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  message: string,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = startTimer(() => reject(new Error(message)), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

const redisHint =
  'Redis does not answer on 127.0.0.1:6379: run scripts/ensure-redis.sh';

/** A message a fixture process sends to the test. */
export interface ChildMessage {
  type: string;
  [field: string]: unknown;
}

/** A TypeScript fixture in its own process, talking over IPC. */
export interface Child {
  process: ChildProcess;
  /** Resolves with the next message of `type` (or one already received). */
  next(type: string, ms?: number): Promise<ChildMessage>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts `__tests__/fixtures/<name>.ts` with `env` added. */
export function startFixture(name: string, env: Record<string, string>): Child {
  return startScript(`${__dirname}/../fixtures/${name}.ts`, env);
}

/**
 * Starts a TypeScript file in its own process, with `env` added; its
 * stdout is dropped when `quiet`, its stderr always shown.
 */
export function startScript(
  path: string,
  env: Record<string, string>,
  quiet = false,
): Child {
  const name = basename(path);
  const child = fork(path, [], {
    execArgv: ['--require', 'ts-node/register/transpile-only'],
    env: { ...process.env, ...env },
    cwd: `${__dirname}/../..`,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit', 'ipc'],
  });
  const inbox: ChildMessage[] = [];
  const waiting = new Set<() => void>();
  child.on('message', (message: ChildMessage) => {
    inbox.push(message);
    for (const wake of [...waiting]) wake();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
      for (const wake of [...waiting]) wake();
    });
  });

  function next(type: string, ms = 10_000): Promise<ChildMessage> {
    const found = new Promise<ChildMessage>((resolve, reject) => {
      const look = () => {
        const index = inbox.findIndex((message) => message.type === type);
        if (index >= 0) {
          waiting.delete(look);
          resolve(inbox.splice(index, 1)[0] as ChildMessage);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiting.delete(look);
          reject(new Error(`${name} exited before sending "${type}"`));
        }
      };
      waiting.add(look);
      look();
    });
    return withDeadline(found, ms, `${name} sent no "${type}" in ${ms} ms`);
  }

  return {
    process: child,
    next,
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
      }
    },
  };
}
