import { inspect } from 'node:util';

/**
 * Throws when `args` would not survive `JSON.stringify` as a job's data:
 * a function or symbol (silently dropped), a bigint (throws) or a circular
 * structure (throws). Like `JSON.stringify`, it follows `toJSON()`, so a
 * `Date` passes.
 *
 * @throws TypeError naming the task, where the value is and its kind.
 */
export function assertJsonSafe(task: string, args: unknown[]): void {
  const problem = findProblem(args, 'args', '', []);
  if (!problem) return;

  throw new TypeError(
    `add(): the arguments of task "${task}" must survive JSON, since ` +
      `they become the job's data, but ${problem}`,
  );
}

function findProblem(
  raw: unknown,
  path: string,
  key: string,
  ancestors: { value: object; path: string }[],
): string | undefined {
  const value = applyToJson(raw, key);

  switch (typeof value) {
    case 'function':
    case 'symbol':
    case 'bigint':
      return `${path} is a ${typeof value}: ${inspect(value)}`;
    case 'object':
      return value === null ? undefined : findInObject(value, path, ancestors);
    default:
      return undefined;
  }
}

function findInObject(
  value: object,
  path: string,
  ancestors: { value: object; path: string }[],
): string | undefined {
  const cycle = ancestors.find((ancestor) => ancestor.value === value);
  if (cycle) {
    return `${path} is a circular structure: it refers back to ${cycle.path}`;
  }

  ancestors.push({ value, path });
  const keys = Array.isArray(value)
    ? value.map((_, index) => String(index))
    : Object.keys(value);
  let problem: string | undefined;
  for (const key of keys) {
    const child = (value as Record<string, unknown>)[key];
    problem = findProblem(child, childPath(value, path, key), key, ancestors);
    if (problem) break;
  }
  ancestors.pop();
  return problem;
}

/** What `JSON.stringify` serializes in place of `value`. */
function applyToJson(value: unknown, key: string): unknown {
  const hasToJson =
    (typeof value === 'object' && value !== null) || typeof value === 'bigint';
  if (!hasToJson) return value;

  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? toJSON.call(value, key) : value;
}

function childPath(parent: object, path: string, key: string): string {
  if (Array.isArray(parent)) return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}
