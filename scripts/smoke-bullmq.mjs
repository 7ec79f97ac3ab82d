// Imports the built BullMQ subpath by its own name, from ESM and CommonJS,
// and checks that the main entry never loads bullmq or ioredis.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const loaded = (name) =>
  Object.keys(require.cache).some((path) =>
    path.includes(`/node_modules/${name}/`),
  );

await import('express-background-tasks');
require('express-background-tasks');
assert.equal(loaded('bullmq'), false, 'the main entry loaded bullmq');
assert.equal(loaded('ioredis'), false, 'the main entry loaded ioredis');

const cjs = require('express-background-tasks/bullmq');
const esm = await import('express-background-tasks/bullmq');
for (const name of ['bullmqTransport', 'createWorker']) {
  assert.equal(typeof esm[name], 'function', name);
  assert.equal(esm[name], cjs[name], name);
}
assert.equal(loaded('bullmq'), true);

console.log('smoke: the bullmq subpath loads; the main entry stays without');
