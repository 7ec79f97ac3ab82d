// Scenario 1: throughput and latency of a hello-world Express 5 route under
// closed-loop load, for each variant, interleaved round by round.
import { startWorker } from '../shared/children.mjs';
import { closedLoop } from '../shared/load.mjs';
import { paired, quantile, rotate, summarize } from '../shared/stats.mjs';
import { runsTasks } from '../shared/variants.mjs';

export const throughputVariants = [
  'bare',
  'ours-none',
  'ours-one',
  'finish',
  'on-finished',
  'fire-and-forget',
];

/**
 * Runs every variant's server in its own process and loads one at a time.
 *
 * @param {typeof import('../shared/settings.mjs').fullSettings.throughput}
 *   settings
 */
export async function measureThroughput(settings) {
  const servers = await startServers(throughputVariants, 'noop');
  try {
    for (const server of servers) await warmUp(server, settings);

    const rounds = [];
    for (let round = 0; round < settings.rounds; round++) {
      const results = {};
      for (const server of rotate(servers, round)) {
        results[server.name] = await loadOnce(server, settings);
      }
      rounds.push(results);
    }

    for (const server of servers) await checkTasksRan(server);
    return summarizeRounds(rounds, throughputVariants);
  } finally {
    for (const server of servers) server.stop();
  }
}

/**
 * Starts one server process per variant, all running `task`.
 *
 * @param {string[]} variants
 * @param {string} task a name from work.mjs's tasksByName
 * @param {string[]} [keys] how to name each server, if not by variant
 */
export async function startServers(variants, task, keys = variants) {
  return Promise.all(
    variants.map(async (variant, i) => {
      const worker = await startWorker('server', { variant, task });
      const url = `http://127.0.0.1:${worker.info.port}/`;
      return { ...worker, name: keys[i], variant, url };
    }),
  );
}

/**
 * Fails unless each request that the route served ran its one task (or
 * none, for variants without tasks). Waits up to `waitMs` for stragglers.
 */
export async function checkTasksRan(server, waitMs = 2_000) {
  const expected = (stats) =>
    runsTasks.has(server.variant) ? stats.served : 0;
  const deadline = performance.now() + waitMs;
  let stats = await server.ask();
  while (stats.tasks !== expected(stats) && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    stats = await server.ask();
  }
  if (stats.tasks !== expected(stats)) {
    throw new Error(
      `${server.name}: ${stats.tasks} tasks ran for ${stats.served} requests`,
    );
  }
}

async function warmUp(server, settings) {
  await closedLoop(server.url, {
    connections: settings.connections,
    seconds: settings.warmupSeconds,
    requests: settings.warmupRequests,
  });
}

async function loadOnce(server, settings) {
  const before = await server.ask();
  const load = await closedLoop(server.url, settings);
  const after = await server.ask();

  return {
    rps: load.served / load.seconds,
    p50: quantile(load.latenciesMs, 0.5),
    p99: quantile(load.latenciesMs, 0.99),
    cpuMicros: (after.cpuMicros - before.cpuMicros) / load.served,
  };
}

/** Per variant: each metric's median over rounds, and its ratio to bare's
 * in the same round. */
function summarizeRounds(rounds, variants) {
  const metrics = ['rps', 'p50', 'p99', 'cpuMicros'];
  const series = (name, metric) => rounds.map((round) => round[name][metric]);

  return Object.fromEntries(
    variants.map((name) => {
      const row = {};
      for (const metric of metrics) {
        const values = series(name, metric);
        const base = series('bare', metric);
        row[metric] = summarize(values);
        row[`${metric}Ratio`] = summarize(
          paired(values, base, (a, b) => a / b),
        );
      }
      return [name, row];
    }),
  );
}
