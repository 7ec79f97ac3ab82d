// Compiled by `npm run typecheck`, never run: each @ts-expect-error must
// meet an error, so wrong calls that type-check would fail the build.
import { Queue } from 'bullmq';
import { bullmqTransport, createWorker } from '../../lib/bullmq.js';
import {
  BackgroundTasks,
  type DefinedTask,
  defineTask,
} from '../../lib/index.js';

const sendReceipt = defineTask(
  'sendReceipt',
  async (orderId: number, email: string) => `${orderId} ${email}`,
  { attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
);
const typed: DefinedTask<[number, string], Promise<string>> = sendReceipt;
const name: string = sendReceipt.name;
const attempts: number | undefined = sendReceipt.defaults.attempts;

const queue = new Queue('tasks', { connection: {} });
const tasks = new BackgroundTasks({
  transport: bullmqTransport(queue, { timeoutMs: 2000 }),
  onEnqueueError: 'report',
});
tasks.add(sendReceipt, 1, 'a@b.c');
tasks.add({ job: { jobId: 'order-1', delay: 5 } }, sendReceipt, 1, 'a@b.c');

// @ts-expect-error the order id must be a number
tasks.add(sendReceipt, '1', 'a@b.c');
// @ts-expect-error jobId is a string
tasks.add({ job: { jobId: 1 } }, sendReceipt, 1, 'a@b.c');
// @ts-expect-error attempts is a number
defineTask('audit', () => {}, { attempts: '3' });
// @ts-expect-error an unknown policy
new BackgroundTasks({ onEnqueueError: 'drop' });

const worker = createWorker('tasks', [sendReceipt, defineTask('a', () => 1)], {
  connection: {},
  concurrency: 4,
  onError: (error, { task, final, job }) => [error.message, task, final, job],
});
// @ts-expect-error tasks must come from defineTask()
createWorker('tasks', [() => {}], { connection: {} });

export { attempts, name, typed, worker };
