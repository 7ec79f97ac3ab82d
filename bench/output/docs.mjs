// --update-docs: copies this run's chart to docs/ and its tables into the
// README, between two markers in the Benchmarks section.
import { mkdir, readFile, writeFile } from 'node:fs/promises';

const root = new URL('../../', import.meta.url);
const start = '<!-- bench:start -->';
const end = '<!-- bench:end -->';

/**
 * @param {string} markdown the report, as printed
 * @param {string} svg the chart
 */
export async function updateDocs(markdown, svg) {
  await mkdir(new URL('docs/', root), { recursive: true });
  await writeFile(new URL('docs/bench.svg', root), svg);

  const readmeUrl = new URL('README.md', root);
  const readme = await readFile(readmeUrl, 'utf8');
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from === -1 || to < from) {
    throw new Error(`README.md needs the markers ${start} and ${end}`);
  }
  const chart = '![Added cost per request](docs/bench.svg)';
  const section = `${start}\n${markdown}\n\n${chart}\n`;
  await writeFile(
    readmeUrl,
    readme.slice(0, from) + section + readme.slice(to),
  );
}
