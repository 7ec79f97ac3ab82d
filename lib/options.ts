import { describeValue } from './describe.js';
import { parseJobOverrides } from './job-options.js';
import { readOptions } from './read-options.js';
import { reportTaskError } from './report.js';
import type {
  DrainOptions,
  EnqueueErrorPolicy,
  ErrorHook,
  RunPolicy,
  TaskHook,
  TaskOptions,
  TaskTransport,
} from './types.js';

/** A queue's options, with every default applied. */
export interface QueueConfig {
  onError: ErrorHook;
  when: RunPolicy;
  stopOnError: boolean;
  timeoutMs: number | undefined;
  onTaskStart: TaskHook | undefined;
  onTaskEnd: TaskHook | undefined;
  transport: TaskTransport | undefined;
  onEnqueueError: EnqueueErrorPolicy;
}

/** The middleware's options, with every default applied. */
export interface MiddlewareConfig extends QueueConfig {
  key: string;
  concurrency: number;
  maxQueued: number;
}

/** The one place where defaults live; the README's table repeats them. */
export const defaults: Readonly<MiddlewareConfig> = Object.freeze({
  onError: reportTaskError,
  when: 'always',
  stopOnError: false,
  timeoutMs: undefined,
  onTaskStart: undefined,
  onTaskEnd: undefined,
  transport: undefined,
  onEnqueueError: 'run-locally',
  key: 'tasks',
  concurrency: Number.POSITIVE_INFINITY,
  maxQueued: Number.POSITIVE_INFINITY,
});

/** setTimeout clamps longer delays to 1 ms, so they are refused. */
const maxTimerMs = 2_147_483_647;
const policies: readonly RunPolicy[] = ['always', 'success'];
const enqueueErrorPolicies: readonly EnqueueErrorPolicy[] = [
  'run-locally',
  'report',
];
const queueKeys = [
  'onError',
  'when',
  'stopOnError',
  'timeoutMs',
  'onTaskStart',
  'onTaskEnd',
  'transport',
  'onEnqueueError',
] as const;
const middlewareKeys = [...queueKeys, 'key', 'concurrency', 'maxQueued'];
const taskKeys = ['name', 'when', 'timeoutMs', 'job'] as const;

/**
 * Validates the options of `backgroundTasks()`.
 *
 * @throws TypeError or RangeError naming the option, the rule and the value.
 */
export function parseMiddlewareOptions(options: unknown): MiddlewareConfig {
  const where = 'backgroundTasks()';
  const given = readOptions(where, options, middlewareKeys);

  return {
    ...parseQueueFields(where, given),
    key: optionalKey(where, given.key),
    concurrency: optionalLimit(where, 'concurrency', given.concurrency),
    maxQueued: optionalLimit(where, 'maxQueued', given.maxQueued),
  };
}

/**
 * Validates the options of `new BackgroundTasks()`.
 *
 * @throws TypeError or RangeError naming the option, the rule and the value.
 */
export function parseQueueOptions(options: unknown): QueueConfig {
  const where = 'new BackgroundTasks()';
  return parseQueueFields(where, readOptions(where, options, queueKeys));
}

/**
 * Validates the per-task options given to `add()`.
 *
 * @throws TypeError or RangeError naming the option, the rule and the value.
 */
export function parseTaskOptions(options: object): TaskOptions {
  const where = 'add()';
  const given = readOptions(where, options, taskKeys);
  const { name } = given;

  if (name !== undefined && (typeof name !== 'string' || name === '')) {
    throw new TypeError(
      `${where}: task option "name" must be a non-empty string, ` +
        `received ${describeValue(name)}`,
    );
  }
  return {
    name,
    when: optionalPolicy(where, given.when),
    timeoutMs: optionalTimeout(where, 'timeoutMs', given.timeoutMs),
    job: parseJobOverrides(where, given.job),
  };
}

/**
 * Validates the options of `drain()`.
 *
 * @throws TypeError or RangeError naming the option, the rule and the value.
 */
export function parseDrainOptions(options: unknown): DrainOptions {
  const where = 'drain()';
  const given = readOptions(where, options, ['timeoutMs']);
  return { timeoutMs: optionalTimeout(where, 'timeoutMs', given.timeoutMs) };
}

function parseQueueFields(
  where: string,
  given: Partial<Record<string, unknown>>,
): QueueConfig {
  return {
    onError:
      optionalFunction<ErrorHook>(where, 'onError', given.onError) ??
      defaults.onError,
    when: optionalPolicy(where, given.when) ?? defaults.when,
    stopOnError: optionalBoolean(where, 'stopOnError', given.stopOnError),
    timeoutMs: optionalTimeout(where, 'timeoutMs', given.timeoutMs),
    onTaskStart: optionalFunction<TaskHook>(
      where,
      'onTaskStart',
      given.onTaskStart,
    ),
    onTaskEnd: optionalFunction<TaskHook>(where, 'onTaskEnd', given.onTaskEnd),
    transport: optionalTransport(where, given.transport),
    onEnqueueError:
      optionalEnqueuePolicy(where, given.onEnqueueError) ??
      defaults.onEnqueueError,
  };
}

function optionalFunction<Hook>(
  where: string,
  name: string,
  value: unknown,
): Hook | undefined {
  if (value === undefined || typeof value === 'function') {
    return value as Hook | undefined;
  }
  throw new TypeError(
    `${where}: option "${name}" must be a function, ` +
      `received ${describeValue(value)}`,
  );
}

function optionalPolicy(where: string, value: unknown): RunPolicy | undefined {
  if (value === undefined || policies.includes(value as RunPolicy)) {
    return value as RunPolicy | undefined;
  }
  throw new TypeError(
    `${where}: option "when" must be 'always' or 'success', ` +
      `received ${describeValue(value)}`,
  );
}

function optionalTransport(
  where: string,
  value: unknown,
): TaskTransport | undefined {
  if (value === undefined) return undefined;
  const enqueue = (value as { enqueue?: unknown } | null)?.enqueue;
  if (typeof value === 'object' && typeof enqueue === 'function') {
    return value as TaskTransport;
  }
  throw new TypeError(
    `${where}: option "transport" must be an object with an enqueue() ` +
      'method, such as bullmqTransport(queue), ' +
      `received ${describeValue(value)}`,
  );
}

function optionalEnqueuePolicy(
  where: string,
  value: unknown,
): EnqueueErrorPolicy | undefined {
  const known = enqueueErrorPolicies as readonly unknown[];
  if (value === undefined || known.includes(value)) {
    return value as EnqueueErrorPolicy | undefined;
  }
  throw new TypeError(
    `${where}: option "onEnqueueError" must be 'run-locally' or 'report', ` +
      `received ${describeValue(value)}`,
  );
}

function optionalBoolean(where: string, name: string, value: unknown) {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  throw new TypeError(
    `${where}: option "${name}" must be a boolean, ` +
      `received ${describeValue(value)}`,
  );
}

function optionalKey(where: string, value: unknown): string {
  if (value === undefined) return defaults.key;
  if (typeof value === 'string' && value !== '') return value;
  throw new TypeError(
    `${where}: option "key" must be a non-empty string, ` +
      `received ${describeValue(value)}`,
  );
}

function optionalTimeout(
  where: string,
  name: string,
  value: unknown,
): number | undefined {
  if (value === undefined) return undefined;
  const number = requireNumber(where, name, value);
  if (number >= 1 && number <= maxTimerMs) return number;
  throw new RangeError(
    `${where}: option "${name}" must be from 1 to ${maxTimerMs} ` +
      `milliseconds, received ${describeValue(value)}`,
  );
}

function optionalLimit(where: string, name: string, value: unknown): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  const number = requireNumber(where, name, value);
  if (number === Number.POSITIVE_INFINITY) return number;
  if (Number.isInteger(number) && number >= 1) return number;
  throw new RangeError(
    `${where}: option "${name}" must be a whole number of at least 1 ` +
      `or Infinity, received ${describeValue(value)}`,
  );
}

function requireNumber(where: string, name: string, value: unknown): number {
  if (typeof value === 'number') return value;
  throw new TypeError(
    `${where}: option "${name}" must be a number, ` +
      `received ${describeValue(value)}`,
  );
}
