import { describeValue } from './describe.js';
import { parseJobDefaults } from './job-options.js';
import type { DefinedTask, JobDefaults } from './types.js';

/**
 * Marks what `defineTask()` made. A registered symbol, so that a task
 * defined by one copy of the package is known to another (two versions
 * in node_modules, or the source and the build in one test run).
 */
const definedTask = Symbol.for('express-background-tasks.definedTask');

/**
 * Names a task so that a transport can hand it to workers. Without a
 * transport, `add()` runs it in-process like any function.
 *
 * @param name - how workers find the task; the job's name.
 * @param fn - the work; it receives the arguments given to `add()`.
 * @param defaults - job options every job of the task starts from.
 *
 * @example
 * export const sendReceipt = defineTask(
 *   'sendReceipt',
 *   async (orderId: number, email: string) => mailer.send(orderId, email),
 *   { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
 * );
 * res.locals.tasks.add(sendReceipt, order.id, req.body.email);
 *
 * @throws TypeError or RangeError for a bad name, function or job option.
 */
export function defineTask<Args extends unknown[], Result>(
  name: string,
  fn: (...args: Args) => Result,
  defaults?: JobDefaults,
): DefinedTask<Args, Result> {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(
      `defineTask(): the name must be a non-empty string, ` +
        `received ${describeValue(name)}`,
    );
  }
  const where = `defineTask(${JSON.stringify(name)})`;
  if (typeof fn !== 'function') {
    throw new TypeError(
      `${where}: the task must be a function, ` +
        `received ${describeValue(fn)}`,
    );
  }

  const task = (...args: Args): Result => fn(...args);
  Object.defineProperties(task, {
    name: { value: name },
    defaults: { value: parseJobDefaults(where, defaults), enumerable: true },
    [definedTask]: { value: true },
  });
  return task as DefinedTask<Args, Result>;
}

/** True for what `defineTask()` returned. */
export function isDefinedTask(value: unknown): value is DefinedTask {
  return (
    typeof value === 'function' &&
    (value as { [definedTask]?: unknown })[definedTask] === true
  );
}
