/**
 * How long and how often each scenario runs. The full run takes about
 * five minutes; the quick one only proves that every part still works.
 */
export const fullSettings = {
  throughput: {
    generations: 5,
    rounds: 2,
    connections: 10,
    warmupSeconds: 1,
    seconds: 2,
  },
  isolation: {
    rounds: 6,
    intervalMs: 10,
    warmupRequests: 100,
    requests: 250,
  },
  micro: {
    generations: 8,
    rounds: 50,
    concurrency: 16,
    warmupRequests: 50_000,
    requests: 1_000,
  },
  express: {
    generations: 4,
    rounds: 30,
    concurrency: 16,
    warmupRequests: 10_000,
    requests: 400,
  },
  drain: { rounds: 15, tasks: 100_000 },
  memory: { requests: 100_000 },
};

export const quickSettings = {
  throughput: {
    generations: 1,
    rounds: 1,
    connections: 4,
    warmupRequests: 50,
    requests: 200,
  },
  isolation: {
    rounds: 1,
    intervalMs: 10,
    warmupRequests: 5,
    requests: 20,
  },
  micro: {
    generations: 1,
    rounds: 10,
    concurrency: 16,
    warmupRequests: 2_000,
    requests: 500,
  },
  express: {
    generations: 1,
    rounds: 3,
    concurrency: 16,
    warmupRequests: 500,
    requests: 160,
  },
  drain: { rounds: 2, tasks: 10_000 },
  memory: { requests: 5_000 },
};
