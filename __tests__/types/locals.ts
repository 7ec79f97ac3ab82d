// Compiled by `npm run typecheck`, never run: each @ts-expect-error must
// meet an error, so wrong calls that type-check would fail the build.
import express from 'express';
import backgroundTasks, {
  type BackgroundTasks,
  type TaskHandle,
} from '../../lib/index.js';

type IsAny<T> = 0 extends 1 & T ? true : false;

const app = express();
app.use(backgroundTasks({ onError: (error, { task }) => [error, task] }));

async function sendReceipt(orderId: number, email: string): Promise<void> {
  await Promise.resolve([orderId, email]);
}

app.post('/orders', (_req, res) => {
  const notAny: IsAny<typeof res.locals.tasks> = false;
  const queue: BackgroundTasks = res.locals.tasks;
  const handle: TaskHandle = queue.add(sendReceipt, 42, 'a@example.com');
  queue.add({ name: 'receipt', when: 'success' }, sendReceipt, 1, 'b@c.d');
  queue.add(() => 'sync tasks are fine too');

  // @ts-expect-error the order id must be a number
  queue.add(sendReceipt, '42', 'a@example.com');
  // @ts-expect-error the email is missing
  queue.add(sendReceipt, 42);
  // @ts-expect-error one argument too many
  queue.add(sendReceipt, 42, 'a@example.com', true);
  // @ts-expect-error with options, arguments are checked the same way
  queue.add({ name: 'receipt' }, sendReceipt, 42, 7);
  // @ts-expect-error an unknown policy
  queue.add({ when: 'sometimes' }, sendReceipt, 42, 'a@example.com');
  // @ts-expect-error a task must be a function
  queue.add(123);

  res.status(201).json({ notAny, status: handle.status });
});
