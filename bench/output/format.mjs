/** `value` with `digits` decimals, or "n/a" when it is not a number. */
export function fixed(value, digits = 0) {
  return Number.isFinite(value) ? value.toFixed(digits) : 'n/a';
}

/** A median with its interquartile range: "310 (290–335)". */
export function spread({ median, p25, p75 }, digits = 0) {
  return `${fixed(median, digits)} (${range(p25, p75, digits)})`;
}

/** Two bounds as "290–335". */
export function range(low, high, digits = 0) {
  return `${fixed(low, digits)}–${fixed(high, digits)}`;
}

/** Bytes in mebibytes. */
export function mebibytes(bytes) {
  return bytes / 1024 / 1024;
}

/**
 * A Markdown table with aligned columns, the way Biome formats one: as
 * readable in a terminal as in the README. Columns after the first are
 * numbers, aligned right.
 *
 * @param {string[]} header
 * @param {string[][]} rows
 */
export function table(header, rows) {
  const widths = header.map((_, column) =>
    Math.max(3, ...[header, ...rows].map((row) => length(row[column]))),
  );
  const line = (cells) =>
    `| ${cells.map((cell, i) => pad(cell, widths[i], i > 0)).join(' | ')} |`;
  const rule = widths.map((width, i) =>
    i === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`,
  );
  return [line(header), line(rule), ...rows.map(line)].join('\n');
}

function length(text) {
  return [...text].length;
}

function pad(text, width, right) {
  const padding = ' '.repeat(width - length(text));
  return right ? padding + text : text + padding;
}
