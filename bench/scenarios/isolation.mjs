// Scenario 2: does a slow task delay the response it belongs to? Requests
// arrive one every few milliseconds (an open loop), so a response waits
// only for its own request's work, never behind another request's task.
import { paced } from '../shared/load.mjs';
import { quantile, rotate } from '../shared/stats.mjs';
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
    const latencies = Object.fromEntries(servers.map((s) => [s.name, []]));
    for (const server of servers) {
      await paced(server.url, {
        ...settings,
        requests: settings.warmupRequests,
      });
    }

    for (let round = 0; round < settings.rounds; round++) {
      for (const server of rotate(servers, round)) {
        const load = await paced(server.url, settings);
        latencies[server.name].push(...load.latenciesMs);
        // Let the sleeping tasks finish before the next server's turn.
        await checkTasksRan(server);
      }
    }
    return summarizeLatencies(latencies);
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

/** p50 and p99 over every round, pooled, with ratios to bare's. */
function summarizeLatencies(latencies) {
  const bareP50 = quantile(latencies.bare, 0.5);
  const bareP99 = quantile(latencies.bare, 0.99);

  return Object.fromEntries(
    Object.entries(latencies).map(([name, values]) => {
      const p50 = quantile(values, 0.5);
      const p99 = quantile(values, 0.99);
      const row = {
        samples: values.length,
        p50,
        p99,
        p50Ratio: p50 / bareP50,
        p99Ratio: p99 / bareP99,
      };
      return [name, row];
    }),
  );
}
