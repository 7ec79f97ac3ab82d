import { defineTask } from 'express-background-tasks';
import {
  appendAudit,
  notifyWarehouse,
  type Order,
  type TaskSettings,
  writeReceipt,
} from './order-tasks';

/**
 * The order tasks as named tasks, for the server and the worker alike.
 * Only the order travels as job data; each process brings its own
 * settings (where to write, how to log).
 */
export function defineOrderTasks(settings: TaskSettings) {
  return {
    writeReceipt: defineTask('writeReceipt', (order: Order) =>
      writeReceipt(order, settings),
    ),
    appendAudit: defineTask('appendAudit', (order: Order) =>
      appendAudit(order, settings),
    ),
    // The flaky one gets retries once it runs on a worker.
    notifyWarehouse: defineTask(
      'notifyWarehouse',
      (order: Order) => notifyWarehouse(order, settings),
      { attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
    ),
  };
}

/** The BullMQ queue the server and the worker share. */
export const orderQueueName = process.env.QUEUE ?? 'orders';
