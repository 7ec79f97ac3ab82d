// Scenario 4: what `runAll()` costs per task against the loop a user would
// write, `for (const f of fns) await f()`, over the same no-op functions.
// Each side runs in its own process, taking turns. The loop runs twice:
// in a plain process, and in one with an AsyncLocalStorage turned on, as
// `runAll()` turns one on to give tasks their `currentTask()`; the second
// comparison isolates the queue's own machinery.
import { startWorker } from '../shared/children.mjs';
import { paired, rotate, summarize } from '../shared/stats.mjs';

const sides = [
  { name: 'loop', mode: 'loop', als: 'off' },
  { name: 'loop-als', mode: 'loop', als: 'on' },
  { name: 'runAll', mode: 'queue', als: 'off' },
];

/**
 * @param {typeof import('../shared/settings.mjs').fullSettings.drain}
 *   settings
 */
export async function measureDrain(settings) {
  const workers = await Promise.all(
    sides.map(async ({ name, mode, als }) => {
      const args = { mode, als, tasks: settings.tasks };
      const worker = await startWorker('drain', args, ['--expose-gc']);
      return { ...worker, name };
    }),
  );

  try {
    const samples = Object.fromEntries(sides.map(({ name }) => [name, []]));
    const addNs = [];
    for (let round = 0; round < settings.rounds; round++) {
      for (const worker of rotate(workers, round)) {
        const answer = await worker.ask();
        samples[worker.name].push(answer.runNs);
        if (answer.addNs !== undefined) addNs.push(answer.addNs);
      }
    }
    return {
      ...summarizeDrain(samples, settings.tasks),
      addNs: summarize(addNs),
    };
  } finally {
    for (const worker of workers) worker.stop();
  }
}

function summarizeDrain(samples, tasks) {
  const ratio = (a, b) => a / b;
  return {
    tasks,
    nsPerTask: Object.fromEntries(
      Object.entries(samples).map(([name, values]) => [
        name,
        summarize(values),
      ]),
    ),
    ratio: summarize(paired(samples.runAll, samples.loop, ratio)),
    ratioAls: summarize(paired(samples.runAll, samples['loop-als'], ratio)),
  };
}
