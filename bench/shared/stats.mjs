/**
 * The value below which a fraction `p` of `values` falls, interpolating
 * between the two nearest samples.
 *
 * @param {number[]} values
 * @param {number} p from 0 to 1
 */
export function quantile(values, p) {
  if (values.length === 0) return Number.NaN;

  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const weight = position - below;
  return sorted[below] * (1 - weight) + sorted[above] * weight;
}

/**
 * The median with its 95% confidence interval (how precisely the median
 * is known) and the interquartile range (how much single trials vary): a
 * summary that a few outliers (a GC pause, a busy neighbour on the shared
 * machine) cannot move.
 *
 * @param {number[]} values
 * @returns {{ median: number, low: number, high: number, p25: number,
 *   p75: number, n: number }}
 */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  // Ranks of the order statistics that bound the median with 95%
  // confidence, from the normal approximation to the binomial.
  const margin = 0.98 * Math.sqrt(n);
  const lowRank = Math.max(0, Math.floor(n / 2 - margin) - 1);
  const highRank = Math.min(n - 1, Math.ceil(n / 2 + margin));

  return {
    median: quantile(sorted, 0.5),
    low: sorted[lowRank],
    high: sorted[highRank],
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    n,
  };
}

/**
 * Element-wise `f(a[i], b[i])`: pairs samples taken in the same round, so
 * drift of the machine between rounds cancels out.
 *
 * @param {number[]} a
 * @param {number[]} b
 * @param {(x: number, y: number) => number} f
 */
export function paired(a, b, f) {
  return a.map((x, i) => f(x, b[i]));
}

/**
 * `items` rotated left by `round`, so that each variant takes every
 * position in the order across rounds.
 *
 * @template T
 * @param {T[]} items
 * @param {number} round
 * @returns {T[]}
 */
export function rotate(items, round) {
  const shift = round % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}
