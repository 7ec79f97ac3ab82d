import { closestMatch, describeValue, shorten } from './describe.js';

/** Options that only the middleware takes: shared by all its requests. */
const instanceKeys: readonly string[] = ['key', 'concurrency', 'maxQueued'];

/**
 * Checks that `options` is a plain object whose own keys are all `known`,
 * and copies them; `kind` names them in messages ("option", "job option").
 *
 * @throws TypeError for a non-plain object, an unknown key (with a typo
 *   hint), or a key whose value cannot be read.
 */
export function readOptions<Key extends string>(
  where: string,
  options: unknown,
  known: readonly Key[],
  kind = 'option',
): Partial<Record<Key, unknown>> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) {
    throw new TypeError(
      `${where}: ${kind}s must be a plain object, ` +
        `received ${describeValue(options)}`,
    );
  }

  // Copy the own options once: a getter runs once, and nothing inherited
  // or added later can slip past the checks.
  const given: Partial<Record<Key, unknown>> = {};
  for (const key of readKeys(where, options, kind)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new TypeError(unknownKeyMessage(where, key, known, kind));
    }
    given[key as Key] = readValue(where, options, key, kind);
  }
  return given;
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  try {
    const prototype = Object.getPrototypeOf(value);
    return prototype === Object.prototype || prototype === null;
  } catch {
    return false;
  }
}

function readKeys(where: string, options: object, kind: string): string[] {
  try {
    return Object.keys(options);
  } catch (error) {
    throw new TypeError(`${where}: ${kind}s could not be read`, {
      cause: error,
    });
  }
}

function readValue(
  where: string,
  options: object,
  key: string,
  kind: string,
): unknown {
  try {
    return (options as Record<string, unknown>)[key];
  } catch (error) {
    throw new TypeError(`${where}: ${kind} "${key}" could not be read`, {
      cause: error,
    });
  }
}

function unknownKeyMessage(
  where: string,
  key: string,
  known: readonly string[],
  kind: string,
): string {
  if (instanceKeys.includes(key) && kind === 'option') {
    return (
      `${where}: "${key}" is an option of backgroundTasks(), shared by ` +
      'all requests of a middleware; it cannot be given here'
    );
  }
  const guess = closestMatch(key, known);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  return (
    `${where}: unknown ${kind} "${shorten(key)}".${hint} ` +
    `Known ${kind}s: ${known.join(', ')}`
  );
}
