import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaults } from '../lib/options.js';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');

/** The README's options table, as option name → Default cell. */
function documentedDefaults(): Map<string, string> {
  const section = readme.split('\n## Options\n')[1]?.split('\n## ')[0] ?? '';
  const rows = section.split('\n').filter((line) => /^\| `\w+` +\|/.test(line));
  return new Map(
    rows.map((row) => {
      const [name = '', , fallback = ''] = row
        .split(/(?<!\\)\|/)
        .slice(1)
        .map((cell) => cell.trim());
      return [name.replaceAll('`', ''), fallback];
    }),
  );
}

function shown(value: unknown): string {
  if (typeof value === 'function') return 'stderr reporter';
  if (typeof value === 'string') return `\`'${value}'\``;
  return `\`${String(value)}\``;
}

describe('the README', () => {
  it('lists every option with the default the code uses', () => {
    const expected = new Map(
      Object.entries(defaults).map(([name, value]) => [name, shown(value)]),
    );
    expect(documentedDefaults()).toEqual(expected);
  });
});
