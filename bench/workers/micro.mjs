// One variant of the in-process benchmark. The parent asks for a number of
// requests; the answer is the CPU time they took, in nanoseconds per
// request. CPU time, not wall time: on a shared machine a process that
// waits for a core is not charged for the wait, while the garbage
// collection that the variant's allocations cause, on every thread, is.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createExpressDriver } from '../shared/fake-connection.mjs';
import { createRequestDriver } from '../shared/fake-http.mjs';
import { createVariant, runsTasks } from '../shared/variants.mjs';
import { completedTasks, noopTask } from '../shared/work.mjs';
import { argument, serveParent } from './ipc.mjs';

const name = argument('variant');
const concurrency = Number(argument('concurrency', 16));
const warmupRequests = Number(argument('warmup', 20_000));

// The control row "AsyncLocalStorage on": what every promise and tick of a
// process pays on Node 20 once any AsyncLocalStorage has run, as it does
// in this package's first task and in any app that traces requests.
if (argument('als', 'off') === 'on') {
  new AsyncLocalStorage().run(true, () => {});
}

const createDriver =
  argument('driver', 'http') === 'express'
    ? createExpressDriver
    : createRequestDriver;
const driver = createDriver(createVariant(name, noopTask), concurrency);
const tasksPerRequest = runsTasks.has(name) ? 1 : 0;

/** Runs `requests` requests, checks every task ran, returns ns/request. */
async function measure({ requests }) {
  const tasksBefore = completedTasks();
  const before = process.cpuUsage();
  const ran = await driver.run(requests);
  const { user, system } = process.cpuUsage(before);

  const tasks = completedTasks() - tasksBefore;
  if (tasks !== ran * tasksPerRequest) {
    throw new Error(`${name}: ${tasks} tasks ran for ${ran} requests`);
  }
  return ((user + system) * 1000) / ran;
}

await driver.run(warmupRequests);
serveParent(measure);
