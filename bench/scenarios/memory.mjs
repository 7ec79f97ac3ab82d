// Scenario 5: the heap after a full collection, before and after many
// requests that each add a task. Each variant runs in its own process.
import { startWorker } from '../shared/children.mjs';

export const memoryVariants = ['bare', 'ours-one', 'on-finished'];

/**
 * @param {typeof import('../shared/settings.mjs').fullSettings.memory}
 *   settings
 */
export async function measureMemory(settings) {
  const results = {};
  for (const variant of memoryVariants) {
    const worker = await startWorker('memory', { variant }, ['--expose-gc']);
    try {
      results[variant] = await worker.ask({ requests: settings.requests });
    } finally {
      worker.stop();
    }
  }
  return results;
}
