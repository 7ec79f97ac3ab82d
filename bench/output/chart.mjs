// A small SVG bar chart of the in-process figures, drawn from this run's
// numbers so that the README's chart can always be regenerated.
import { labels } from '../shared/variants.mjs';

const chartRows = [
  'ours-none',
  'ours-one',
  'finish',
  'on-finished',
  'fire-and-forget',
];
const width = 640;
const labelWidth = 230;
const valueWidth = 70;
const rowHeight = 26;
const top = 44;
const title =
  'Added cost per request (ns, in-process; median, whiskers p25–p75)';

/**
 * Bars of the added nanoseconds per request (median), with whiskers from
 * the 25th to the 75th percentile.
 *
 * @param {Record<string, { addedNs: { median: number, p25: number,
 *   p75: number } }>} micro
 * @param {string} caption machine, Node version and date
 */
export function renderChart(micro, caption) {
  const rows = chartRows.map((name) => ({ name, ...micro[name].addedNs }));
  const low = Math.min(0, ...rows.map((row) => row.p25));
  const high = Math.max(...rows.map((row) => row.p75)) * 1.05;
  const scale = (width - labelWidth - valueWidth) / (high - low);
  const x = (value) => labelWidth + (value - low) * scale;
  const height = top + rows.length * rowHeight + 36;

  const bars = rows.map((row, i) => bar(row, top + i * rowHeight, x));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" ` +
      `height="${height}" viewBox="0 0 ${width} ${height}" ` +
      'font-family="system-ui, sans-serif" font-size="13" role="img">',
    `<title>${title}</title>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="10" y="22" font-weight="bold">${title}</text>`,
    `<line x1="${x(0)}" y1="${top - 6}" x2="${x(0)}" ` +
      `y2="${top + rows.length * rowHeight}" stroke="#999"/>`,
    ...bars,
    `<text x="10" y="${height - 12}" fill="#555" font-size="11">` +
      `${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}

function bar(row, y, x) {
  const ours = row.name.startsWith('ours');
  const start = Math.min(x(0), x(row.median));
  const length = Math.abs(x(row.median) - x(0));
  const middle = y + 9;
  return [
    `<text x="${labelWidth - 8}" y="${middle + 4}" text-anchor="end">` +
      `${escapeXml(labels[row.name])}</text>`,
    `<rect x="${start}" y="${y}" width="${length}" height="18" ` +
      `fill="${ours ? '#2f6fde' : '#9aa5b1'}"/>`,
    `<line x1="${x(row.p25)}" y1="${middle}" x2="${x(row.p75)}" ` +
      `y2="${middle}" stroke="#222"/>`,
    `<text x="${x(Math.max(row.p75, 0)) + 6}" y="${middle + 4}">` +
      `${Math.round(row.median)}</text>`,
  ].join('\n');
}

function escapeXml(text) {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}
