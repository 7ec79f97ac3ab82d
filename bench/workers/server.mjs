// A hello-world Express 5 server for one variant, on a random loopback
// port. Any message from the bench is answered with how many requests the
// route served, how many tasks finished, and the CPU time used so far.
import { AsyncLocalStorage } from 'node:async_hooks';
import express from 'express';
import { createVariant } from '../shared/variants.mjs';
import { completedTasks, tasksByName } from '../shared/work.mjs';
import { argument, serveParent } from './ipc.mjs';

const variant = createVariant(
  argument('variant'),
  tasksByName[argument('task', 'noop')],
);
const beforeResponse = variant.beforeResponse ?? (() => {});
let served = 0;

if (argument('als', 'off') === 'on') {
  new AsyncLocalStorage().run(true, () => {});
}

function stats() {
  const { user, system } = process.cpuUsage();
  return { served, tasks: completedTasks(), cpuMicros: user + system };
}

const app = express();
if (variant.middleware) app.use(variant.middleware);
app.get('/', (req, res) => {
  served++;
  beforeResponse(req, res);
  res.send('Hello World!');
});

const server = app.listen(0, '127.0.0.1', () => {
  serveParent(stats, { port: server.address().port });
});
