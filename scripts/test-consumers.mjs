// Installs the packed tarball into a temporary project, as a user would,
// and runs one consumer per way of loading it: ESM import, CJS require,
// and TypeScript compiled with node16, nodenext and bundler resolution.
// Each starts a real server, sends a real request through the middleware
// and checks that the task ran. Needs a build first (npm run build).
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const { devDependencies } = readJson(join(root, 'package.json'));
const consumerTimeoutMs = 30_000;

/** The route and the checks every consumer runs, in plain JavaScript. */
const scenarioJs = `
const ran = [];
const failures = [];
const sendReceipt = (orderId) => {
  ran.push(orderId);
};

async function main() {
  // The default export and the named one are the same function.
  assert.equal(backgroundTasks, otherExport);
  const tasks = backgroundTasks({ onError: (error) => failures.push(error) });
  const app = express();
  app.use(tasks);
  app.get('/orders/:id', (req, res) => {
    res.locals.tasks.add(sendReceipt, req.params.id);
    res.send('accepted');
  });

  const server = await new Promise((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  try {
    const { port } = server.address();
    const response = await fetch(\`http://127.0.0.1:\${port}/orders/42\`);
    assert.equal(await response.text(), 'accepted');
    await tasks.drain();
    assert.deepEqual(ran, ['42']);
    assert.deepEqual(failures, []);
  } finally {
    server.close();
  }
}

main().then(
  () => console.log('the task ran after the response'),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
`;

/** The same, in TypeScript, with checks that the types are not \`any\`. */
const scenarioTs = `
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import backgroundTasks, {
  type BackgroundTasks,
  backgroundTasks as otherExport,
} from 'express-background-tasks';

const ran: string[] = [];
const failures: unknown[] = [];
const sendReceipt = (orderId: string): void => {
  ran.push(orderId);
};

/** Never called: only compiled. */
export function typeChecks(res: express.Response): BackgroundTasks {
  // @ts-expect-error: the order id is a string
  res.locals.tasks.add(sendReceipt, 42);
  // @ts-expect-error: the queue has no such method
  res.locals.tasks.addTask(sendReceipt, '42');
  return res.locals.tasks;
}

async function main(): Promise<void> {
  // The default export and the named one are the same function.
  assert.equal(backgroundTasks, otherExport);
  const tasks = backgroundTasks({ onError: (error) => failures.push(error) });
  const app = express();
  app.use(tasks);
  app.get('/orders/:id', (req, res) => {
    res.locals.tasks.add(sendReceipt, req.params.id);
    res.send('accepted');
  });

  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(\`http://127.0.0.1:\${port}/orders/42\`);
    assert.equal(await response.text(), 'accepted');
    await tasks.drain();
    assert.deepEqual(ran, ['42']);
    assert.deepEqual(failures, []);
  } finally {
    server.close();
  }
}

main().then(
  () => console.log('the task ran after the response'),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
`;

const consumers = [
  {
    name: 'esm-import',
    type: 'module',
    files: {
      'index.js':
        "import assert from 'node:assert/strict';\n" +
        "import express from 'express';\n" +
        'import backgroundTasks, {\n' +
        '  backgroundTasks as otherExport,\n' +
        "} from 'express-background-tasks';\n" +
        scenarioJs,
    },
  },
  {
    name: 'cjs-require',
    type: 'commonjs',
    files: {
      'index.js':
        "const assert = require('node:assert/strict');\n" +
        "const express = require('express');\n" +
        'const {\n' +
        '  backgroundTasks,\n' +
        '  default: otherExport,\n' +
        "} = require('express-background-tasks');\n" +
        scenarioJs,
    },
  },
  typescriptConsumer('ts-node16', 'commonjs', 'node16', 'node16'),
  typescriptConsumer('ts-nodenext', 'module', 'nodenext', 'nodenext'),
  typescriptConsumer('ts-bundler', 'module', 'esnext', 'bundler'),
];

main();

function main() {
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    console.error('test-consumers: no build found; run `npm run build`');
    process.exit(2);
  }

  const project = mkdtempSync(join(tmpdir(), 'ebt-consumers-'));
  installPackage(project);

  const results = consumers.map((consumer) => runConsumer(project, consumer));
  const failed = results.filter((ok) => !ok).length;
  if (failed === 0) rmSync(project, { recursive: true, force: true });
  else console.error(`test-consumers: kept ${project} for a look`);

  console.log(`consumers: ${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

function typescriptConsumer(name, type, module, moduleResolution) {
  const compilerOptions = {
    target: 'ES2022',
    module,
    moduleResolution,
    types: ['node'],
    strict: true,
    esModuleInterop: true,
    skipLibCheck: false,
    outDir: 'out',
  };
  return {
    name,
    type,
    typescript: true,
    files: {
      'index.ts': scenarioTs,
      'tsconfig.json': `${JSON.stringify({ compilerOptions }, null, 2)}\n`,
    },
  };
}

/** Packs the repo and installs the tarball, Express and the types, once;
 * every consumer folder below resolves them from here. */
function installPackage(project) {
  const pack = run('npm', ['pack', '--json', '--pack-destination', project], {
    cwd: root,
  });
  const [{ filename }] = JSON.parse(pack.stdout);

  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'consumers', private: true }, null, 2)}\n`,
  );
  const pinned = (name) => `${name}@${devDependencies[name]}`;
  run(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(project, filename),
      pinned('express'),
      pinned('@types/express'),
      pinned('@types/node'),
    ],
    { cwd: project },
  );
}

/** Writes a consumer, compiles it if it is TypeScript, then runs it. */
function runConsumer(project, { name, type, typescript, files }) {
  const dir = join(project, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), `{ "type": "${type}" }\n`);
  for (const [file, text] of Object.entries(files)) {
    writeFileSync(join(dir, file), text);
  }

  const steps = typescript
    ? [
        [process.execPath, [tsc, '-p', '.']],
        [process.execPath, ['out/index.js']],
      ]
    : [[process.execPath, ['index.js']]];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, {
      cwd: dir,
      encoding: 'utf8',
      timeout: consumerTimeoutMs,
    });
    if (result.status !== 0) {
      console.error(`consumer ${name}: FAIL (${args.join(' ')})`);
      console.error(result.stdout, result.stderr, result.error ?? '');
      return false;
    }
  }
  console.log(`consumer ${name}: ok`);
  return true;
}

function run(command, args, options) {
  const result = spawnSync(command, args, { ...options, encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
  }
  return result;
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}
