import { describeValue } from './describe.js';
import { readOptions } from './read-options.js';
import type { JobBackoff, JobDefaults, JobOverrides } from './types.js';

/** BullMQ's lowest priority. */
const maxPriority = 2_097_151;
const overrideKeys = ['jobId', 'delay', 'priority'] as const;

/**
 * Validates the job options of `defineTask()`. The ones BullMQ would only
 * refuse after the response are checked; the others pass through.
 *
 * @throws TypeError or RangeError naming the option, the rule and the value.
 */
export function parseJobDefaults(
  where: string,
  defaults: unknown,
): Readonly<JobDefaults> {
  if (defaults === undefined) return Object.freeze({});
  if (
    typeof defaults !== 'object' ||
    defaults === null ||
    Array.isArray(defaults)
  ) {
    throw new TypeError(
      `${where}: job defaults must be an object, ` +
        `received ${describeValue(defaults)}`,
    );
  }

  const given = defaults as JobDefaults;
  if (given.jobId !== undefined) {
    throw new TypeError(
      `${where}: job option "jobId" cannot be a default, since every job ` +
        'of the task would share it; pass it per call: ' +
        'add({ job: { jobId } }, task, ...args)',
    );
  }
  checkWhole(where, 'attempts', given.attempts, 1, Number.MAX_SAFE_INTEGER);
  checkBackoff(where, given.backoff);
  checkShared(where, given);
  return Object.freeze({ ...given });
}

/**
 * Validates the `job` option of one `add()` call.
 *
 * @throws TypeError or RangeError naming the option, the rule and the value.
 */
export function parseJobOverrides(
  where: string,
  job: unknown,
): JobOverrides | undefined {
  if (job === undefined) return undefined;
  const given = readOptions(where, job, overrideKeys, 'job option');

  checkJobId(where, given.jobId);
  checkShared(where, given);
  return given as JobOverrides;
}

/** Merges a call's overrides over a task's defaults; `undefined` skips. */
export function mergeJobOptions(
  defaults: Readonly<JobDefaults>,
  overrides: JobOverrides | undefined,
): JobDefaults & JobOverrides {
  const merged: Record<string, unknown> = { ...defaults };
  if (!overrides) return merged;

  for (const key of overrideKeys) {
    const value = overrides[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

function checkShared(
  where: string,
  given: { delay?: unknown; priority?: unknown },
): void {
  checkWhole(where, 'delay', given.delay, 0, Number.MAX_SAFE_INTEGER);
  checkWhole(where, 'priority', given.priority, 0, maxPriority);
}

function checkJobId(where: string, jobId: unknown): void {
  if (jobId === undefined) return;
  if (typeof jobId !== 'string' || jobId === '') {
    throw new TypeError(
      `${where}: job option "jobId" must be a non-empty string, ` +
        `received ${describeValue(jobId)}`,
    );
  }
  // BullMQ refuses these when the job is added, after the response.
  if (String(Number.parseInt(jobId, 10)) === jobId || jobId.includes(':')) {
    throw new TypeError(
      `${where}: job option "jobId" must not be a whole number nor ` +
        `contain ":", received ${describeValue(jobId)}`,
    );
  }
}

function checkBackoff(where: string, backoff: unknown): void {
  if (backoff === undefined || typeof backoff === 'number') {
    checkWhole(where, 'backoff', backoff, 0, Number.MAX_SAFE_INTEGER);
    return;
  }
  const { type } = (backoff ?? {}) as Partial<JobBackoff>;
  if (typeof backoff !== 'object' || typeof type !== 'string') {
    throw new TypeError(
      `${where}: job option "backoff" must be milliseconds or an object ` +
        `with a string "type", received ${describeValue(backoff)}`,
    );
  }
}

function checkWhole(
  where: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number') {
    throw new TypeError(
      `${where}: job option "${name}" must be a number, ` +
        `received ${describeValue(value)}`,
    );
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(
      `${where}: job option "${name}" must be a whole number from ${min} ` +
        `to ${max}, received ${describeValue(value)}`,
    );
  }
}
