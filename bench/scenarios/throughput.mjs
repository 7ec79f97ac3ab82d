// Scenario 1: throughput and latency of a hello-world Express 5 route under
// closed-loop load, for each variant, interleaved round by round. Servers
// are started afresh for each generation of rounds: a process keeps its
// luck (its core, its JIT) for life, and on a shared machine that alone
// moves throughput by several percent. A second bare server shows how far.
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
const rows = [...throughputVariants, 'bare-2'];

/**
 * Runs every variant's server in its own process and loads one at a time.
 *
 * @param {typeof import('../shared/settings.mjs').fullSettings.throughput}
 *   settings
 */
export async function measureThroughput(settings) {
  const rounds = [];
  for (let generation = 0; generation < settings.generations; generation++) {
    const variants = rows.map((name) => name.replace(/-2$/, ''));
    const servers = await startServers(variants, 'noop', rows);
    try {
      for (const server of servers) await warmUp(server, settings);
      for (let round = 0; round < settings.rounds; round++) {
        const results = {};
        const turn = generation * settings.rounds + round;
        for (const server of rotate(servers, turn)) {
          results[server.name] = await loadOnce(server, settings);
        }
        rounds.push(results);
      }
      for (const server of servers) await checkTasksRan(server);
    } finally {
      for (const server of servers) server.stop();
    }
  }
  return summarizeRounds(rounds, rows);
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
