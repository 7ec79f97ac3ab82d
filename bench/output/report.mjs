// Renders one run's figures as Markdown: printed by the bench, and pasted
// into the README by --update-docs.
import { labels } from '../shared/variants.mjs';
import { fixed, mebibytes, range, spread, table } from './format.mjs';
import { checkTargets } from './targets.mjs';

const rowLabels = {
  ...labels,
  'bare-2': 'control: bare, 2nd process',
  'bare-als': 'control: bare, AsyncLocalStorage on',
  'ours-sleep': 'backgroundTasks(), 50 ms sleep task',
  'fire-and-forget-sleep': 'void task(), 50 ms sleep',
  'ours-cpu': 'backgroundTasks(), 2 ms CPU task',
  'fire-and-forget-cpu': 'void task(), 2 ms CPU',
};

/**
 * @param {Record<string, any>} results one run's figures, by scenario
 * @param {{ machine: string, node: string, date: string, quick: boolean }}
 *   context
 * @param {Record<string, any>} settings
 */
export function renderReport(results, context, settings) {
  const quick = context.quick
    ? ' Quick run: it only shows that every scenario works; its figures ' +
      'mean nothing.'
    : '';
  return [
    `Measured ${context.date} on ${context.machine}, Node ${context.node}.` +
      quick,
    throughputSection(results.throughput, settings.throughput),
    isolationSection(results.isolation, settings.isolation),
    microSection(results.micro, settings.micro),
    expressSection(results.express, settings.express),
    drainSection(results.drain),
    memorySection(results.memory, settings.memory),
    targetsSection(results),
  ].join('\n\n');
}

function throughputSection(rows, settings) {
  const load = settings.requests
    ? `${settings.requests} requests`
    : `${settings.seconds} s`;
  return [
    `**1. Hello-world Express 5 under load** (${settings.connections} ` +
      `connections, ${settings.generations * settings.rounds} interleaved ` +
      `rounds of ${load}, fresh servers every ${settings.rounds}; ` +
      'median ratio to bare Express in the same round, with its ' +
      'interquartile range)',
    table(
      ['Variant', 'req/s', 'req/s ratio', 'p50 ms', 'p99 ms', 'CPU µs/req'],
      Object.entries(rows).map(([name, row]) => [
        rowLabels[name],
        fixed(row.rps.median),
        spread(row.rpsRatio, 3),
        fixed(row.p50.median, 2),
        fixed(row.p99.median, 2),
        fixed(row.cpuMicros.median, 1),
      ]),
    ),
  ].join('\n\n');
}

function isolationSection(rows, settings) {
  return [
    `**2. Latency isolation** (one request every ${settings.intervalMs} ms, ` +
      `${settings.rounds} interleaved rounds of ${settings.requests}; ` +
      'medians over rounds; ratios to bare in the same round)',
    table(
      ['Variant', 'p50 ms', 'p99 ms', 'p50 ratio', 'p99 ratio'],
      Object.entries(rows).map(([name, row]) => [
        rowLabels[name],
        fixed(row.p50.median, 2),
        fixed(row.p99.median, 2),
        fixed(row.p50Ratio.median, 2),
        spread(row.p99Ratio, 2),
      ]),
    ),
  ].join('\n\n');
}

function microSection(rows, settings) {
  const trials = settings.generations * settings.rounds;
  return [
    '**3. Added CPU time per request, in-process** (the figure that ' +
      `decides regressions: ${trials} interleaved trials of ` +
      `${settings.requests} requests, ${settings.concurrency} in flight; ` +
      'the median difference with bare in the same trial, its 95% ' +
      'confidence interval, and the interquartile range of single trials)',
    table(
      ['Variant', 'ns/request', 'added ns', '95% CI', 'IQR', 'ratio'],
      Object.entries(rows).map(([name, { ns, addedNs, ratio }]) => [
        rowLabels[name],
        fixed(ns.median),
        fixed(addedNs.median),
        range(addedNs.low, addedNs.high),
        range(addedNs.p25, addedNs.p75),
        fixed(ratio.median, 3),
      ]),
    ),
  ].join('\n\n');
}

function expressSection(rows, settings) {
  const trials = settings.generations * settings.rounds;
  return [
    '**3b. The same through real Express 5 and Node’s HTTP parser**, ' +
      `over in-memory sockets (${trials} interleaved trials of ` +
      `${settings.requests} requests; less precise: a request costs ` +
      'thirty times more here)',
    table(
      ['Variant', 'ns/request', 'added ns', '95% CI', 'ratio'],
      Object.entries(rows).map(([name, { ns, addedNs, ratio }]) => [
        rowLabels[name],
        fixed(ns.median),
        fixed(addedNs.median),
        range(addedNs.low, addedNs.high),
        fixed(ratio.median, 3),
      ]),
    ),
  ].join('\n\n');
}

function drainSection(drain) {
  const ns = drain.nsPerTask;
  return [
    `**4. Draining ${drain.tasks.toLocaleString('en-US')} no-op async ` +
      'tasks** (ns per task, each run from a collected heap; ratio of ' +
      '`runAll()` to the loop, paired by round)',
    table(
      ['Loop', 'ns/task', 'runAll() ratio'],
      [
        [
          '`for (const f of fns) await f()`',
          spread(ns.loop),
          spread(drain.ratio, 2),
        ],
        [
          'the same loop, AsyncLocalStorage on',
          spread(ns['loop-als']),
          spread(drain.ratioAls, 2),
        ],
        ['`await queue.runAll()`', spread(ns.runAll), '1'],
        [
          '(`queue.add(f)` before it, not in the ratios)',
          spread(drain.addNs),
          '',
        ],
      ],
    ),
  ].join('\n\n');
}

function memorySection(rows, settings) {
  return [
    `**5. Heap after GC, before and after ` +
      `${settings.requests.toLocaleString('en-US')} requests**`,
    table(
      ['Variant', 'before MB', 'after MB', 'growth MB'],
      Object.entries(rows).map(([name, row]) => [
        rowLabels[name],
        fixed(mebibytes(row.before), 2),
        fixed(mebibytes(row.after), 2),
        fixed(mebibytes(row.growth), 2),
      ]),
    ),
  ].join('\n\n');
}

function targetsSection(results) {
  return [
    '**Targets** (the goals this project set itself; a miss is explained above)',
    table(
      ['Target', 'Measured', 'Met'],
      checkTargets(results).map(({ target, measured, met }) => [
        target,
        measured,
        met ? 'yes' : '**no**',
      ]),
    ),
  ].join('\n\n');
}
