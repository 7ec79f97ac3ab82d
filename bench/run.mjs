// npm run bench [-- --quick] [-- --update-docs]
//
// Runs the five measurements of the benchmark, each bounded in time, and
// prints one table per measurement with ratios to the baseline of this
// same run. --quick runs everything briefly, to prove that it works (CI);
// its figures mean nothing. --update-docs copies the tables and the chart
// into the README and docs/bench.svg.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { renderChart } from './output/chart.mjs';
import { updateDocs } from './output/docs.mjs';
import { renderReport } from './output/report.mjs';
import { measureDrain } from './scenarios/drain.mjs';
import { measureIsolation } from './scenarios/isolation.mjs';
import { measureMemory } from './scenarios/memory.mjs';
import { measureExpress, measureMicro } from './scenarios/micro.mjs';
import { measureThroughput } from './scenarios/throughput.mjs';
import { stopAllWorkers } from './shared/children.mjs';
import { fullSettings, quickSettings } from './shared/settings.mjs';

const steps = [
  ['micro', 'in-process cost per request', measureMicro],
  ['express', 'in-process cost through Express', measureExpress],
  ['throughput', 'throughput under load', measureThroughput],
  ['isolation', 'latency isolation', measureIsolation],
  ['drain', 'drain cost', measureDrain],
  ['memory', 'heap growth', measureMemory],
];

const options = parseArguments(process.argv.slice(2));
const settings = options.quick ? quickSettings : fullSettings;
const resultsDir = new URL('results/', import.meta.url);

stopAfter(options.quick ? 60_000 : 20 * 60_000);
const results = await runSteps();
await publish(results);
process.exit(0);

function parseArguments(args) {
  const known = ['--quick', '--update-docs'];
  const unknown = args.filter((arg) => !known.includes(arg));
  if (unknown.length > 0) {
    throw new Error(`bench: unknown argument ${unknown.join(', ')}`);
  }
  const quick = args.includes('--quick');
  const docs = args.includes('--update-docs');
  if (quick && docs) {
    throw new Error('bench: --update-docs needs a full run, not --quick');
  }
  return { quick, docs };
}

/** A hard limit on the whole run, whatever a step does. */
function stopAfter(ms) {
  setTimeout(() => {
    console.error(`bench: still running after ${ms / 1000} s, giving up`);
    stopAllWorkers();
    process.exit(1);
  }, ms).unref();
}

async function runSteps() {
  const results = {};
  for (const [key, title, measure] of steps) {
    const started = performance.now();
    console.error(`bench: ${title}...`);
    results[key] = await measure(settings[key]);
    const seconds = (performance.now() - started) / 1000;
    console.error(`bench: ${title} done in ${seconds.toFixed(1)} s`);
  }
  return results;
}

async function publish(results) {
  const context = {
    machine: `${cpus().length} shared cores (${cpus()[0]?.model.trim()})`,
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
    quick: options.quick,
  };
  const markdown = renderReport(results, context, settings);
  const caption = `${context.machine}, Node ${context.node}, ${context.date}`;
  const svg = renderChart(results.micro, caption);
  console.log(markdown);

  await mkdir(resultsDir, { recursive: true });
  await writeFile(new URL('results.json', resultsDir), json(results, context));
  await writeFile(new URL('results.md', resultsDir), `${markdown}\n`);
  await writeFile(new URL('chart.svg', resultsDir), svg);
  if (options.docs) await updateDocs(markdown, svg);
}

function json(results, context) {
  return `${JSON.stringify({ context, settings, results }, null, 2)}\n`;
}
