import { inspect } from 'node:util';
import type { ErrorContext } from './types.js';

const prefix = 'express-background-tasks:';

/**
 * The default `onError`: one line naming the task and the request, then
 * the error with its stack, on stderr.
 */
export function reportTaskError(error: unknown, context: ErrorContext): void {
  const { task, req, statusCode, aborted } = context;
  const request = req
    ? ` after ${req.method} ${req.originalUrl ?? req.url} (${statusCode}` +
      `${aborted ? ', aborted' : ''})`
    : '';
  console.error(`${prefix} task "${task}" failed${request}:`, error);
}

/** What the worker's default reporter says of a failed job. */
export interface JobFailure {
  task: string;
  jobId: string | undefined;
  attemptsMade: number;
  attempts: number;
  final: boolean;
}

/**
 * The BullMQ worker's default `onError`: one line naming the task, the job
 * and the attempt, then the error with its stack, on stderr.
 */
export function reportJobFailure(error: Error, failure: JobFailure): void {
  const { task, jobId, attemptsMade, attempts, final } = failure;
  const outcome = final ? 'gave up' : 'will retry';
  console.error(
    `${prefix} job ${jobId ?? '?'} of task "${task}" failed ` +
      `(attempt ${attemptsMade} of ${attempts}, ${outcome}):`,
    error,
  );
}

/**
 * Writes the failure of a user hook to stderr. It goes straight to the
 * stream, not through `onError` (which may be what failed) nor as a
 * process warning, so a broken hook can never loop or crash the process.
 */
export function reportHookFailure(
  hook: string,
  task: string,
  error: unknown,
): void {
  try {
    process.stderr.write(
      `${prefix} ${hook} failed while handling task "${task}": ` +
        `${inspectFully(error)}\n`,
    );
  } catch {
    // stderr itself failed: there is nowhere left to report to.
  }
}

/** The whole error with its stack, or a placeholder if it cannot be shown. */
function inspectFully(error: unknown): string {
  try {
    return inspect(error);
  } catch {
    return '[an error that cannot be shown]';
  }
}
