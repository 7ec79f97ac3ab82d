// Heap growth over many requests, each adding one task (run with
// --expose-gc). What a request leaves behind after its tasks ran shows up
// here as growth that a full collection cannot reclaim.
import { createRequestDriver } from '../shared/fake-http.mjs';
import { createVariant, runsTasks } from '../shared/variants.mjs';
import { completedTasks, noopTask } from '../shared/work.mjs';
import { argument, serveParent } from './ipc.mjs';

const name = argument('variant');
const driver = createRequestDriver(createVariant(name, noopTask), 16);

/** Collects until the heap stops shrinking, then reports what is used. */
function heapAfterGc() {
  let used = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 10; i++) {
    globalThis.gc();
    const now = process.memoryUsage().heapUsed;
    if (now >= used) break;
    used = now;
  }
  return used;
}

/** Measures the heap before and after `requests` requests. */
async function measure({ requests }) {
  await driver.run(2_000);
  const tasksBefore = completedTasks();
  const before = heapAfterGc();
  const ran = await driver.run(requests);
  const after = heapAfterGc();

  const tasks = completedTasks() - tasksBefore;
  if (runsTasks.has(name) && tasks !== ran) {
    throw new Error(`${name}: ${tasks} tasks ran for ${ran} requests`);
  }
  return { requests: ran, before, after, growth: after - before };
}

serveParent(measure);
