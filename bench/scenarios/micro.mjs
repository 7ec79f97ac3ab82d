// Scenario 3, the one that decides regressions: the added cost per request
// of each variant, measured in-process (see shared/fake-http.mjs). Each
// variant runs in its own process, because the first task of this package
// turns on Node 20's async hooks for its whole process; that cost belongs
// to the variant, and must not leak into the baseline. The processes take
// turns, round by round, and each round's figure is compared with the
// baseline's of the same round. Two control rows show what the method can
// resolve: a second baseline process (the noise floor between processes)
// and a baseline with an AsyncLocalStorage turned on.
import { startWorker } from '../shared/children.mjs';
import { paired, rotate, summarize } from '../shared/stats.mjs';

export const microRows = [
  { name: 'bare', variant: 'bare' },
  { name: 'bare-2', variant: 'bare', control: true },
  { name: 'bare-als', variant: 'bare', als: 'on', control: true },
  { name: 'ours-none', variant: 'ours-none' },
  { name: 'ours-one', variant: 'ours-one' },
  { name: 'finish', variant: 'finish' },
  { name: 'on-finished', variant: 'on-finished' },
  { name: 'fire-and-forget', variant: 'fire-and-forget' },
];

/**
 * The same measurement through real Express and Node's HTTP parser (see
 * shared/fake-connection.mjs), for the variants that differ most. A request
 * costs about thirty times more there, so its figures are less precise.
 */
export const expressRows = [
  { name: 'bare', variant: 'bare' },
  { name: 'bare-als', variant: 'bare', als: 'on', control: true },
  { name: 'ours-one', variant: 'ours-one' },
  { name: 'on-finished', variant: 'on-finished' },
];

/**
 * @param {typeof import('../shared/settings.mjs').fullSettings.micro}
 *   settings
 */
export async function measureMicro(settings) {
  return measureRows(microRows, 'http', settings);
}

/**
 * @param {typeof import('../shared/settings.mjs').fullSettings.express}
 *   settings
 */
export async function measureExpress(settings) {
  return measureRows(expressRows, 'express', settings);
}

async function measureRows(rows, driver, settings) {
  const samples = Object.fromEntries(rows.map((row) => [row.name, []]));

  // Fresh processes per generation: a process's JIT luck is noise too.
  for (let generation = 0; generation < settings.generations; generation++) {
    const workers = await startMicroWorkers(rows, driver, settings);
    try {
      for (let round = 0; round < settings.rounds; round++) {
        for (const worker of rotate(workers, round)) {
          const ns = await worker.ask({ requests: settings.requests });
          samples[worker.name].push(ns);
        }
      }
    } finally {
      for (const worker of workers) worker.stop();
    }
  }
  return summarizeSamples(samples);
}

async function startMicroWorkers(rows, driver, settings) {
  return Promise.all(
    rows.map(async ({ name, variant, als = 'off' }) => {
      const args = {
        variant,
        driver,
        als,
        concurrency: settings.concurrency,
        warmup: settings.warmupRequests,
      };
      const worker = await startWorker('micro', args);
      return { ...worker, name };
    }),
  );
}

function summarizeSamples(samples) {
  const base = samples.bare;
  return Object.fromEntries(
    Object.entries(samples).map(([name, values]) => [
      name,
      {
        ns: summarize(values),
        addedNs: summarize(paired(values, base, (a, b) => a - b)),
        ratio: summarize(paired(values, base, (a, b) => a / b)),
      },
    ]),
  );
}
