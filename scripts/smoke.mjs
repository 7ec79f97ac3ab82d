// Imports the built package by its own name, from ESM and CommonJS, and
// checks that both expose the same names and the same functions.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cjs = require('express-background-tasks');
const esm = await import('express-background-tasks');

assert.equal(typeof esm.backgroundTasks, 'function');
assert.equal(esm.default, esm.backgroundTasks);
assert.equal(cjs.default, cjs.backgroundTasks);
assert.equal(esm.backgroundTasks, cjs.backgroundTasks);
assert.equal(esm.BackgroundTasks, cjs.BackgroundTasks);

const names = (module) =>
  Object.keys(module)
    .filter((name) => name !== '__esModule')
    .sort();
assert.deepEqual(names(esm), names(cjs));

console.log(`smoke: ESM and CJS expose ${names(esm).join(', ')}`);
