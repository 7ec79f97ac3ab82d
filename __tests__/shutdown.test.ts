import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(30_000);

const root = join(__dirname, '..');
const server = join(root, 'example-app', 'server.ts');

interface Service {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the example app in a child process, as a user would. */
async function startService(
  env: Record<string, string>,
  dataDir: string,
): Promise<Service> {
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    throw new Error('The example imports the built package: npm run build');
  }
  const child = spawn(
    process.execPath,
    ['--require', 'ts-node/register/transpile-only', server],
    {
      cwd: root,
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    exited.then(() => reject(new Error(`exited early:\n${output}`)));
  });
  return { child, url, output: () => output, exited };
}

/** Posts an order; resolves with its id. */
function postOrder(url: string, agent: Agent): Promise<string> {
  const body = JSON.stringify({ item: 'book', quantity: 1, email: 'a@b.c' });
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/orders`, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json' },
    });
    req.on('response', (res) => readId(res, resolve, reject));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Starts an order whose body is held back until `send` is called. It
 * resolves `started` once the server has read the headers (it answers
 * 100 Continue), so the request is surely in flight.
 */
function inFlightOrder(url: string): {
  started: Promise<void>;
  send: () => void;
  id: Promise<string>;
} {
  const body = JSON.stringify({ item: 'lamp', quantity: 2, email: 'x@y.z' });
  const req = httpRequest(`${url}/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      expect: '100-continue',
    },
  });
  const started = new Promise<void>((resolve) => req.on('continue', resolve));
  const id = new Promise<string>((resolve, reject) => {
    req.on('response', (res) => readId(res, resolve, reject));
    req.on('error', reject);
  });
  req.flushHeaders();
  return { started, send: () => req.end(body), id };
}

function readId(
  res: IncomingMessage,
  resolve: (id: string) => void,
  reject: (error: Error) => void,
): void {
  let text = '';
  res.on('data', (chunk) => {
    text += chunk;
  });
  res.on('end', () => {
    if (res.statusCode === 201) resolve(JSON.parse(text).id);
    else reject(new Error(`status ${res.statusCode}: ${text}`));
  });
}

describe('graceful shutdown of the example app', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ebt-shutdown-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes every task of every answered request before exiting', async () => {
    const service = await startService(
      { TASK_DELAY_MS: '150', FLAKY_RATE: '0', SHUTDOWN_TIMEOUT_MS: '20000' },
      dataDir,
    );
    const agent = new Agent({ keepAlive: true });
    const ids = await Promise.all(
      [1, 2, 3, 4].map(() => postOrder(service.url, agent)),
    );
    const late = inFlightOrder(service.url);
    await late.started;

    service.child.kill('SIGTERM');
    late.send();
    ids.push(await late.id);
    const code = await service.exited;
    agent.destroy();

    expect(code).toBe(0);
    const receipts = await readdir(join(dataDir, 'receipts'));
    expect(receipts.sort()).toEqual(ids.map((id) => `${id}.txt`).sort());
    const audit = await readFile(join(dataDir, 'audit.jsonl'), 'utf8');
    const audited = audit
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).order.id);
    expect(audited.sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(service.output()).toContain(
        `notifyWarehouse done for order ${id}`,
      );
    }
    expect(service.output()).toContain('every task finished');
  });

  it('exits by its deadline and names the abandoned tasks', async () => {
    const service = await startService(
      { TASK_DELAY_MS: '60000', FLAKY_RATE: '0', SHUTDOWN_TIMEOUT_MS: '300' },
      dataDir,
    );
    const agent = new Agent({ keepAlive: false });
    await postOrder(service.url, agent);
    await postOrder(service.url, agent);

    const signalled = Date.now();
    service.child.kill('SIGTERM');
    const code = await service.exited;
    const elapsed = Date.now() - signalled;

    expect(code).toBe(0);
    // Wall-clock is the point: 300 ms asked, seconds allowed for a busy CI.
    expect(elapsed).toBeLessThan(5000);
    const names = 'writeReceipt, appendAudit, notifyWarehouse';
    expect(service.output()).toContain(`abandoned: ${names}, ${names}`);
  });
});
