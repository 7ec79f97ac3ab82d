// Scenario 2: does a slow task delay the response it belongs to? Requests
// arrive one every few milliseconds (an open loop), so a response waits
// only for its own request's work, never behind another request's task.
// (A CPU-bound task still holds the one event loop: a request arriving
// while it runs waits, with this package as with fire-and-forget.)
import { paced } from '../shared/load.mjs';
import { paired, quantile, rotate, summarize } from '../shared/stats.mjs';
import { checkTasksRan, startServers } from './throughput.mjs';

export const isolationServers = [
  { name: 'bare', variant: 'bare', task: 'noop' },
  { name: 'ours-sleep', variant: 'ours-one', task: 'sleep' },
  { name: 'fire-and-forget-sleep', variant: 'fire-and-forget', task: 'sleep' },
  { name: 'ours-cpu', variant: 'ours-one', task: 'cpu' },
  { name: 'fire-and-forget-cpu', variant: 'fire-and-forget', task: 'cpu' },
];

/**
 * @param {typeof import('../shared/settings.mjs').fullSettings.isolation}
 *   settings
 */
export async function measureIsolation(settings) {
  const servers = await startIsolationServers();
  try {
    for (const server of servers) {
      await paced(server.url, {
        ...settings,
        requests: settings.warmupRequests,
      });
    }

    const rounds = [];
    for (let round = 0; round < settings.rounds; round++) {
      const results = {};
      for (const server of rotate(servers, round)) {
        const { latenciesMs } = await paced(server.url, settings);
        results[server.name] = {
          p50: quantile(latenciesMs, 0.5),
          p99: quantile(latenciesMs, 0.99),
        };
        // Let the sleeping tasks finish before the next server's turn.
        await checkTasksRan(server);
      }
      rounds.push(results);
    }
    return summarizeRounds(rounds, servers);
  } finally {
    for (const server of servers) server.stop();
  }
}

async function startIsolationServers() {
  const started = await Promise.all(
    isolationServers.map(({ name, variant, task }) =>
      startServers([variant], task, [name]),
    ),
  );
  return started.flat();
}

/**
 * Per server: the median over rounds of each round's p50 and p99, and of
 * their ratios to bare's in the same round. One bad round on the shared
 * machine moves a pooled p99 a lot, and a median over rounds little.
 */
function summarizeRounds(rounds, servers) {
  const series = (name, metric) => rounds.map((round) => round[name][metric]);
  const ratio = (a, b) => a / b;

  return Object.fromEntries(
    servers.map(({ name }) => {
      const row = {};
      for (const metric of ['p50', 'p99']) {
        const values = series(name, metric);
        row[metric] = summarize(values);
        row[`${metric}Ratio`] = summarize(
          paired(values, series('bare', metric), ratio),
        );
      }
      return [name, row];
    }),
  );
}
