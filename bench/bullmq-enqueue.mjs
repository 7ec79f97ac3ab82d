// Measures what handing a named task to BullMQ costs the web process, per
// task: wall time and CPU time, against an in-process no-op task and a
// bare queue.add(). Needs `npm run build` and Redis on 127.0.0.1:6379.
// Usage: node bench/bullmq-enqueue.mjs [tasksPerTrial=2000] [rounds=5]
import { randomUUID } from 'node:crypto';
import { cpus } from 'node:os';
import { Queue } from 'bullmq';
import { BackgroundTasks, defineTask } from 'express-background-tasks';
import { bullmqTransport } from 'express-background-tasks/bullmq';

const perTrial = Number(process.argv[2] ?? 2000);
const rounds = Number(process.argv[3] ?? 5);
const connection = { host: '127.0.0.1', port: 6379, connectTimeout: 2000 };
const queue = new Queue(`ebt-bench-${randomUUID().slice(0, 8)}`, {
  connection,
});
const sendReceipt = defineTask('sendReceipt', (_id, _email) => {});
const order = (i) => [i, `customer-${i}@example.com`];

const variants = {
  'in-process no-op task': async () => {
    const tasks = new BackgroundTasks();
    for (let i = 0; i < perTrial; i++) tasks.add(sendReceipt, ...order(i));
    await tasks.runAll();
  },
  'bare queue.add()': async () => {
    for (let i = 0; i < perTrial; i++) {
      await queue.add('sendReceipt', order(i));
    }
  },
  'add() with bullmqTransport, no timer': async () => {
    const transport = bullmqTransport(queue, { timeoutMs: Infinity });
    const tasks = new BackgroundTasks({ transport });
    for (let i = 0; i < perTrial; i++) tasks.add(sendReceipt, ...order(i));
    await tasks.runAll();
  },
  'add() with bullmqTransport': async () => {
    const tasks = new BackgroundTasks({ transport: bullmqTransport(queue) });
    for (let i = 0; i < perTrial; i++) tasks.add(sendReceipt, ...order(i));
    const summary = await tasks.runAll();
    if (summary.succeeded !== perTrial) throw new Error('enqueue failed');
  },
};

async function measure(run) {
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await run();
  const wallUs = ((performance.now() - start) * 1000) / perTrial;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallUs, cpuUs: (cpu.user + cpu.system) / perTrial };
}

const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];

await queue.waitUntilReady();
await variants['bare queue.add()'](); // warm up the connection and scripts
await queue.obliterate({ force: true });

const results = Object.fromEntries(
  Object.keys(variants).map((name) => [name, { wall: [], cpu: [] }]),
);
for (let round = 0; round < rounds; round++) {
  for (const [name, run] of Object.entries(variants)) {
    const { wallUs, cpuUs } = await measure(run);
    results[name].wall.push(wallUs);
    results[name].cpu.push(cpuUs);
    await queue.obliterate({ force: true });
  }
}
await queue.close();

console.log(
  `${perTrial} tasks per trial, median of ${rounds} interleaved rounds; ` +
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model}, ` +
    `${new Date().toISOString().slice(0, 10)}`,
);
console.log('variant                              wall µs/task  CPU µs/task');
for (const [name, { wall, cpu }] of Object.entries(results)) {
  console.log(
    `${name.padEnd(36)} ${median(wall).toFixed(1).padStart(12)} ` +
      `${median(cpu).toFixed(1).padStart(12)}`,
  );
}
