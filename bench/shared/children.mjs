// The parent side of the worker protocol (see workers/ipc.mjs). Workers
// are separate processes so that one variant's JIT state, heap and async
// hooks never change another's figures.
import { fork } from 'node:child_process';

const live = new Set();

/**
 * Starts `workers/<name>.mjs` and resolves once it says it is ready.
 *
 * @param {string} name
 * @param {Record<string, string | number>} [args] passed as --key=value
 * @param {string[]} [execArgv] Node flags, such as --expose-gc
 * @returns {Promise<{ info: any, ask: (message?: object) => Promise<any>,
 *   stop: () => void }>}
 */
export async function startWorker(name, args = {}, execArgv = []) {
  const script = new URL(`../workers/${name}.mjs`, import.meta.url);
  const argv = Object.entries(args).map(([key, value]) => `--${key}=${value}`);
  const child = fork(script, argv, { execArgv, stdio: 'inherit' });
  live.add(child);
  child.once('exit', () => live.delete(child));

  const ready = await nextMessage(child, `${name} ${argv.join(' ')}`);
  return {
    info: ready.ready,
    ask: (message = {}) => ask(child, message, name),
    stop: () => stop(child),
  };
}

/** Kills every worker still running: on exit, or when a step times out. */
export function stopAllWorkers() {
  for (const child of live) stop(child);
}

async function ask(child, message, name) {
  child.send(message);
  const reply = await nextMessage(child, name);
  if ('error' in reply) throw new Error(`${name} worker: ${reply.error}`);
  return reply.result;
}

function nextMessage(child, name) {
  return new Promise((resolve, reject) => {
    const onExit = (code, signal) => {
      child.off('message', onMessage);
      reject(new Error(`${name} worker exited (${signal ?? code})`));
    };
    const onMessage = (message) => {
      child.off('exit', onExit);
      resolve(message);
    };
    child.once('message', onMessage);
    child.once('exit', onExit);
  });
}

function stop(child) {
  if (child.exitCode === null && child.signalCode === null) child.kill();
  live.delete(child);
}

process.on('exit', stopAllWorkers);
