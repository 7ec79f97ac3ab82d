// One side of the drain benchmark: `runAll()` over many no-op async tasks,
// or the bare loop a user would write instead. The parent asks for rounds;
// the answer is nanoseconds per task.
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

async function queueRunAll() {
  const queue = new BackgroundTasks();
  for (const f of fns) queue.add(f);
  const started = process.hrtime.bigint();
  const summary = await queue.runAll();
  const elapsed = process.hrtime.bigint() - started;
  if (summary.succeeded !== count) {
    throw new Error(`runAll: ${summary.succeeded} of ${count} succeeded`);
  }
  return elapsed;
}

/** Times one round; only `runAll()` is timed, not the `add()` calls. */
async function measure() {
  const completedBefore = completed;
  let elapsed;
  if (mode === 'queue') {
    elapsed = await queueRunAll();
  } else {
    const started = process.hrtime.bigint();
    await bareLoop();
    elapsed = process.hrtime.bigint() - started;
  }
  if (completed - completedBefore !== count) {
    throw new Error(`${mode}: not every task ran`);
  }
  return Number(elapsed) / count;
}

await measure();
serveParent(measure);
