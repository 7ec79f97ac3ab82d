// One side of the drain benchmark (run with --expose-gc): `runAll()` over
// many no-op async tasks, or the bare loop a user would write instead.
// The parent asks for rounds; the answer is CPU nanoseconds per task.
import { AsyncLocalStorage } from 'node:async_hooks';
import { BackgroundTasks } from 'express-background-tasks';
import { argument, serveParent } from './ipc.mjs';

const mode = argument('mode');
const count = Number(argument('tasks', 100_000));

let completed = 0;
// Distinct no-op functions, as a real queue would hold; the same array for
// every round.
const fns = Array.from({ length: count }, () => async () => {
  completed++;
});

if (argument('als', 'off') === 'on') {
  new AsyncLocalStorage().run(true, () => {});
}

async function bareLoop() {
  for (const f of fns) await f();
}

/**
 * The CPU time of `run` (as in the in-process scenario: waiting for a core
 * is not charged), from a collected heap, so that neither side pays for
 * garbage made before its clock started.
 */
async function timed(run) {
  globalThis.gc();
  const before = process.cpuUsage();
  const result = await run();
  const { user, system } = process.cpuUsage(before);
  return { ns: ((user + system) * 1000) / count, result };
}

/** Times one round: `add()` and `runAll()` apart, or the bare loop. */
async function measure() {
  const completedBefore = completed;
  let answer;
  if (mode === 'queue') {
    const queue = new BackgroundTasks();
    const add = await timed(() => {
      for (const f of fns) queue.add(f);
    });
    const run = await timed(() => queue.runAll());
    if (run.result.succeeded !== count) {
      throw new Error(`runAll: ${run.result.succeeded} of ${count} succeeded`);
    }
    answer = { runNs: run.ns, addNs: add.ns };
  } else {
    answer = { runNs: (await timed(bareLoop)).ns };
  }
  if (completed - completedBefore !== count) {
    throw new Error(`${mode}: not every task ran`);
  }
  return answer;
}

await measure();
serveParent(measure);
