import { closestMatch, describeValue } from './describe.js';

/**
 * Checks that `options` is an object whose keys are all `known`; `kind`
 * names them in messages ("option", "job option").
 *
 * @throws TypeError for a non-object, or an unknown key with a typo hint.
 */
export function readOptions<Key extends string>(
  where: string,
  options: unknown,
  known: readonly Key[],
  kind = 'option',
): Partial<Record<Key, unknown>> {
  if (options === undefined) return {};
  if (
    typeof options !== 'object' ||
    options === null ||
    Array.isArray(options)
  ) {
    throw new TypeError(
      `${where}: ${kind}s must be an object, ` +
        `received ${describeValue(options)}`,
    );
  }

  for (const key of Object.keys(options)) {
    if (!(known as readonly string[]).includes(key)) {
      throw new TypeError(unknownKeyMessage(where, key, known, kind));
    }
  }
  return options as Partial<Record<Key, unknown>>;
}

function unknownKeyMessage(
  where: string,
  key: string,
  known: readonly string[],
  kind: string,
): string {
  const guess = closestMatch(key, known);
  const hint = guess ? ` Did you mean "${guess}"?` : '';
  return (
    `${where}: unknown ${kind} "${key}".${hint} ` +
    `Known ${kind}s: ${known.join(', ')}`
  );
}
