// Compiled, never run: the public types as an Express app sees them.
// tsconfig.express5.json and tsconfig.express4.json check it, and the
// compile tests under __tests__/types/, against @types/express 5 and 4;
// a `@ts-expect-error` that meets no error fails the check.
import express from 'express';
import {
  type BackgroundTasks,
  backgroundTasks,
  type TaskHandle,
} from '../lib/index.js';

/** True only when A and B are the same type (and neither is `any`). */
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2
    ? true
    : false;
const assertType = <T extends true>(): T | undefined => undefined;

const sendReceipt = (orderId: number, email: string): Promise<void> =>
  Promise.resolve(void [orderId, email]);

const app = express();
const tasks = backgroundTasks({ onError: (_error, { task }) => task });
app.use(tasks);

app.post('/orders', (_req, res) => {
  assertType<Equals<typeof res.locals.tasks, BackgroundTasks>>();

  const handle = res.locals.tasks.add(sendReceipt, 1, 'a@example.com');
  assertType<Equals<typeof handle, TaskHandle>>();
  res.locals.tasks.add(
    { name: 'receipt', when: 'success' },
    sendReceipt,
    1,
    'a',
  );
  res.locals.tasks.add(() => undefined);

  // @ts-expect-error: the email must be a string
  res.locals.tasks.add(sendReceipt, 1, 2);
  // @ts-expect-error: the email is missing
  res.locals.tasks.add(sendReceipt, 1);
  // @ts-expect-error: a task must be a function
  res.locals.tasks.add(123);
  // @ts-expect-error: 'later' is not a run policy
  res.locals.tasks.add({ when: 'later' }, sendReceipt, 1, 'a');
  // @ts-expect-error: the queue has no such method
  res.locals.tasks.addTask(sendReceipt, 1, 'a');

  res.status(201).end();
});

export const drained: Promise<boolean> = tasks
  .drain()
  .then((report) => report.completed);
