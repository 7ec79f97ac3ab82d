// Adds an ESM entry that re-exports the CommonJS build, so `import` and
// `require` share one copy of the classes and expose the same names, and
// `import backgroundTasks from 'express-background-tasks'` is the function.
import { copyFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dist = new URL('../dist/', import.meta.url);

const entries = process.argv.slice(2);
for (const entry of entries.length > 0 ? entries : ['index']) {
  await writeEsmEntry(entry);
}

async function writeEsmEntry(entry) {
  const built = require(new URL(`${entry}.js`, dist).pathname);
  const names = Object.keys(built).filter(
    (name) => name !== 'default' && name !== '__esModule',
  );
  const defaultExport =
    'default' in built ? 'export default cjs.default;\n' : '';
  const source =
    `import cjs from './${entry}.js';\n\n` +
    `export const { ${names.join(', ')} } = cjs;\n${defaultExport}`;

  await writeFile(new URL(`${entry}.mjs`, dist), source);
  await copyFile(
    new URL(`${entry}.d.ts`, dist),
    new URL(`${entry}.d.mts`, dist),
  );
}
