// The two load generators. Both run in the bench's own process, never in
// a server's, and both are bounded: by duration or request count, and by
// a timeout on every request.
import { Agent, get } from 'node:http';
import autocannon from 'autocannon';

/**
 * Closed-loop load with autocannon: `connections` clients, each sending
 * its next request as soon as it has the previous response.
 *
 * @param {string} url
 * @param {{ connections: number, seconds?: number, requests?: number }} load
 *   `requests` (a count) wins over `seconds`, for the quick mode.
 * @returns {Promise<{ served: number, seconds: number,
 *   latenciesMs: number[] }>}
 */
export async function closedLoop(url, { connections, seconds, requests }) {
  const latenciesMs = [];
  // autocannon stops at its first sample tick after the load ends: tick
  // every 100 ms, not every second, so a short run takes no longer.
  const options = { url, connections, timeout: 10, sampleInt: 100 };
  if (requests) options.amount = requests;
  else options.duration = seconds;

  const instance = autocannon(options);
  // autocannon's own histogram keeps whole milliseconds; this keeps the
  // fractions, which is where these latencies live.
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status === 200) latenciesMs.push(ms);
  });
  const result = await instance;

  // autocannon resolves even when every request failed: check ourselves.
  const failed = result.errors + result.timeouts + result.non2xx;
  if (failed > 0 || result['2xx'] === 0) {
    throw new Error(
      `load on ${url}: ${result['2xx']} ok, ${result.errors} errors, ` +
        `${result.timeouts} timeouts, ${result.non2xx} non-2xx`,
    );
  }
  return { served: result['2xx'], seconds: result.duration, latenciesMs };
}

/**
 * Open-loop load: one request every `intervalMs`, whatever the responses
 * do. autocannon cannot pace like this (its rate limit sends each second's
 * quota back to back), and latency isolation needs requests that arrive
 * after the previous request's task has started, not right behind its
 * response.
 *
 * @param {string} url
 * @param {{ requests: number, intervalMs: number }} load
 * @returns {Promise<{ served: number, latenciesMs: number[] }>}
 */
export async function paced(url, { requests, intervalMs }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const started = performance.now();
  const pending = [];
  let failure;
  // Caught at once: a failure must not go unhandled while we still pace.
  const keepFailure = (error) => {
    failure ??= error;
  };

  try {
    for (let i = 0; i < requests; i++) {
      await waitUntil(started + i * intervalMs);
      pending.push(timedGet(url, agent).catch(keepFailure));
    }
    const latenciesMs = await Promise.all(pending);
    if (failure) throw new Error(`paced load on ${url}: ${failure.message}`);
    return { served: latenciesMs.length, latenciesMs };
  } finally {
    agent.destroy();
  }
}

function waitUntil(time) {
  const delay = time - performance.now();
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, delay)));
}

function timedGet(url, agent) {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    const request = get(url, { agent, timeout: 10_000 }, (response) => {
      response.resume();
      response.on('end', () => {
        if (response.statusCode === 200) resolve(performance.now() - sent);
        else reject(new Error(`${url}: status ${response.statusCode}`));
      });
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', reject);
  });
}
