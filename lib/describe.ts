import { inspect } from 'node:util';

/** Longest rendering of a value that an error message repeats. */
const maxShownLength = 80;

/** Renders a received value for an error message: `"x" (string)`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';

  const kind = Array.isArray(value) ? 'array' : typeof value;
  return `${safeInspect(value)} (${kind})`;
}

/**
 * `util.inspect` on one line, cut short; it never throws, since the value
 * may be anything a caller passed, with a hostile getter or inspector.
 */
function safeInspect(value: unknown): string {
  let shown: string;
  try {
    shown = inspect(value, { depth: 0, breakLength: Infinity });
  } catch {
    return '[a value that cannot be shown]';
  }
  return shorten(shown);
}

/** Cuts text that an error message repeats to a readable length. */
export function shorten(text: string): string {
  return text.length > maxShownLength
    ? `${text.slice(0, maxShownLength - 1)}…`
    : text;
}

/** The candidate closest to `word`, when it is close enough to be a typo. */
export function closestMatch(
  word: string,
  candidates: readonly string[],
): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;

  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);

  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + substitution,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
