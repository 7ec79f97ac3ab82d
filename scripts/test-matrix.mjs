// Runs the unit tests on every Node version the package supports, each
// against Express 5 and Express 4 (the two jest projects), and prints a
// table of the results. Exits non-zero if any cell fails.
//
// The running Node stands in for its own major version. The others are
// installed from the npm registry (the `node-<platform>-<arch>` packages)
// into a cache outside the repo, and reused from there.
//
// Usage: node scripts/test-matrix.mjs [major...]   (default: every major)
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nodeVersions = ['20.20.2', '22.23.5', '24.22.3', '26.12.1'];
const projects = ['express5', 'express4'];

const root = fileURLToPath(new URL('..', import.meta.url));
const jestBin = join(root, 'node_modules', 'jest', 'bin', 'jest.js');
const cacheDir = join(
  process.env.XDG_CACHE_HOME || join(homedir(), '.cache'),
  'express-background-tasks',
);
const nodePackage = `node-${process.platform}-${process.arch}`;

const majors = process.argv.slice(2);
const selected = nodeVersions.filter(
  (version) => majors.length === 0 || majors.includes(majorOf(version)),
);
if (selected.length === 0) {
  console.error(`test-matrix: no Node version matches ${majors.join(', ')}`);
  process.exit(2);
}

const rows = selected.map((version) => {
  const node = nodeBinary(version);
  const cells = projects.map((project) =>
    node.path ? runCell(node, project) : { ok: false, missing: true },
  );
  return { node, cells };
});

printTable(rows);
const cells = rows.flatMap((row) => row.cells);
process.exitCode = cells.every((cell) => cell.ok) ? 0 : 1;

function majorOf(version) {
  return version.split('.')[0];
}

/** The Node binary for `version`: this one for its own major, else the
 * cached install, installed first when missing or broken. Its `path` is
 * undefined when the install failed. */
function nodeBinary(version) {
  if (majorOf(process.versions.node) === majorOf(version)) {
    return { path: process.execPath, version: process.versions.node };
  }

  const dir = join(cacheDir, `node-${version}`);
  const path = join(dir, 'node_modules', nodePackage, 'bin', 'node');
  if (versionOf(path) === version || installNode(version, dir)) {
    return { path, version };
  }
  return { path: undefined, version };
}

function versionOf(path) {
  if (!existsSync(path)) return undefined;
  const result = spawnSync(path, ['--version'], { encoding: 'utf8' });
  return result.stdout?.trim().replace(/^v/, '');
}

/** Installs into a staging folder, then renames it into place, so an
 * interrupted install never leaves a half-written cache behind. Returns
 * whether it worked. */
function installNode(version, dir) {
  console.log(`test-matrix: installing ${nodePackage}@${version} into ${dir}`);
  mkdirSync(cacheDir, { recursive: true });
  const staging = mkdtempSync(join(cacheDir, `.node-${version}-`));
  const npm = spawnSync(
    'npm',
    [
      'install',
      '--prefix',
      staging,
      '--no-save',
      '--no-package-lock',
      '--no-audit',
      '--no-fund',
      `${nodePackage}@${version}`,
    ],
    { cwd: staging, stdio: 'inherit' },
  );
  if (npm.status !== 0) {
    console.error(`test-matrix: npm could not install Node ${version}`);
    rmSync(staging, { recursive: true, force: true });
    return false;
  }
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return true;
}

/** Runs one jest project with one Node binary; jest and its workers (and
 * anything that spawns `node`) run on that binary. */
function runCell(node, project) {
  console.log(`\n=== Node ${node.version}, ${project} ===`);
  const reportDir = mkdtempSync(join(tmpdir(), 'ebt-matrix-'));
  const report = join(reportDir, 'results.json');
  const path = `${join(node.path, '..')}:${process.env.PATH}`;

  const started = performance.now();
  const jest = spawnSync(
    node.path,
    [
      jestBin,
      '--ci',
      '--selectProjects',
      project,
      '--json',
      '--outputFile',
      report,
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, PATH: path } },
  );
  const seconds = (performance.now() - started) / 1000;

  const counts = readCounts(report);
  rmSync(reportDir, { recursive: true, force: true });
  return { ok: jest.status === 0 && counts !== undefined, seconds, counts };
}

/** Test counts from jest's JSON report, if it wrote one. */
function readCounts(report) {
  if (!existsSync(report)) return undefined;
  const results = JSON.parse(readFileSync(report, 'utf8'));
  return {
    passed: results.numPassedTests,
    failed: results.numFailedTests,
    total: results.numTotalTests,
  };
}

function printTable(rows) {
  const header = [
    'Node',
    ...projects.map((p) => p.replace('express', 'Express ')),
  ];
  const lines = [
    header,
    ...rows.map(({ node, cells }) => [
      node.version,
      ...cells.map(describeCell),
    ]),
  ];
  const widths = header.map((_, i) =>
    Math.max(...lines.map((line) => line[i].length)),
  );

  console.log('\nUnit tests by Node and Express (tests passed / run):\n');
  for (const line of lines) {
    const padded = line.map((text, i) => text.padEnd(widths[i]));
    console.log(`  ${padded.join('   ')}`.trimEnd());
  }

  const cells = rows.flatMap((row) => row.cells);
  const sum = (key) =>
    cells.reduce((total, cell) => total + (cell.counts?.[key] ?? 0), 0);
  const passedCells = cells.filter((cell) => cell.ok).length;
  console.log(`\n${passedCells} of ${cells.length} cells passed`);
  console.log(`matrix: ${sum('passed')} passed, ${sum('failed')} failed`);
}

function describeCell({ ok, missing, seconds, counts }) {
  if (missing) return 'FAIL (Node not installed)';
  const tests = counts ? `${counts.passed}/${counts.total}` : 'no report';
  return `${ok ? 'pass' : 'FAIL'} ${tests} (${seconds.toFixed(0)} s)`;
}
