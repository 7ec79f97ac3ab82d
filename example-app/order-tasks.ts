import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { currentTask } from 'express-background-tasks';

/** An order as the service accepted it. */
export interface Order {
  id: string;
  item: string;
  quantity: number;
  email: string;
}

/** What the order tasks need: where to write, and how slow to pretend. */
export interface TaskSettings {
  dataDir: string;
  /** Stands in for the latency of a real mail server or API. */
  taskDelayMs: number;
  /** Share of warehouse notifications that fail, from 0 to 1. */
  flakyRate: number;
  log: (message: string) => void;
}

/** Waits like a slow network call would, stopping early when aborted. */
async function simulateLatency(settings: TaskSettings): Promise<void> {
  if (settings.taskDelayMs === 0) return;
  await delay(settings.taskDelayMs, undefined, {
    signal: currentTask()?.signal,
  });
}

/** Writes the receipt that an email would carry. */
export async function writeReceipt(
  order: Order,
  settings: TaskSettings,
): Promise<void> {
  await simulateLatency(settings);
  const folder = join(settings.dataDir, 'receipts');
  await mkdir(folder, { recursive: true });
  await writeFile(
    join(folder, `${order.id}.txt`),
    `Receipt for order ${order.id}\n${order.quantity} x ${order.item}\n` +
      `Sent to ${order.email}\n`,
  );
  settings.log(`task writeReceipt done for order ${order.id}`);
}

/** Appends one JSON line per order to the audit log. */
export async function appendAudit(
  order: Order,
  settings: TaskSettings,
): Promise<void> {
  await simulateLatency(settings);
  const line = JSON.stringify({ at: new Date().toISOString(), order });
  await appendFile(join(settings.dataDir, 'audit.jsonl'), `${line}\n`);
  settings.log(`task appendAudit done for order ${order.id}`);
}

/** Tells the warehouse; fails now and then, as real APIs do. */
export async function notifyWarehouse(
  order: Order,
  settings: TaskSettings,
): Promise<void> {
  await simulateLatency(settings);
  if (Math.random() < settings.flakyRate) {
    throw new Error(`warehouse unavailable for order ${order.id} (simulated)`);
  }
  settings.log(`task notifyWarehouse done for order ${order.id}`);
}
