import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import express from 'express';
import { backgroundTasks, type TaskTransport } from 'express-background-tasks';
import type { Order, TaskSettings } from './order-tasks';
import { defineOrderTasks } from './tasks';

/**
 * Builds the order service; `tasks` is kept for shutdown and stats. With a
 * transport, the order tasks become BullMQ jobs that workers run.
 */
export function createApp(settings: TaskSettings, transport?: TaskTransport) {
  const { log } = settings;
  const orderTasks = defineOrderTasks(settings);
  const tasks = backgroundTasks({
    transport,
    onError: (error, { task, req }) => {
      const reason = error instanceof Error ? error.message : String(error);
      log(`task ${task} FAILED after ${req?.method} ${req?.url}: ${reason}`);
    },
    onTaskEnd: transport
      ? ({ name, status }) => log(`task ${name} handed to BullMQ: ${status}`)
      : undefined,
  });
  const app = express();

  app.use(express.json());
  app.use(tasks);

  app.post('/orders', (req, res) => {
    const problem = validateOrder(req.body);
    if (problem) {
      res.status(400).json({ error: problem });
      return;
    }

    const order: Order = { id: randomUUID().slice(0, 8), ...req.body };
    res.locals.tasks.add(orderTasks.writeReceipt, order);
    res.locals.tasks.add(orderTasks.appendAudit, order);
    res.locals.tasks.add(orderTasks.notifyWarehouse, order);
    res.on('finish', () => log(`response 201 sent for order ${order.id}`));
    res.status(201).json({ ...order, status: 'accepted' });
  });

  app.get('/orders/:id/receipt', async (req, res) => {
    const id = req.params.id.replace(/[^a-f0-9]/g, '');
    try {
      const file = join(settings.dataDir, 'receipts', `${id}.txt`);
      res.type('text/plain').send(await readFile(file, 'utf8'));
    } catch {
      res.status(404).json({ error: 'no receipt (yet) for that order' });
    }
  });

  app.get('/stats', (_req, res) => {
    res.json(tasks.stats());
  });

  return { app, tasks };
}

/** Says what is wrong with an order body, or undefined when it is fine. */
function validateOrder(body: unknown): string | undefined {
  const { item, quantity, email } = (body ?? {}) as Partial<Order>;
  if (typeof item !== 'string' || item.trim() === '') {
    return '"item" must be a non-empty string';
  }
  if (!Number.isInteger(quantity) || (quantity as number) < 1) {
    return '"quantity" must be a whole number of at least 1';
  }
  if (typeof email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(email)) {
    return '"email" must be an email address';
  }
  if (Object.keys(body as object).length !== 3) {
    return 'only "item", "quantity" and "email" are accepted';
  }
  return undefined;
}
