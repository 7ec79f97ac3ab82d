import type { JobErrorContext } from './worker.js';

/**
 * The worker's default `onError`: one line naming the task, the job and
 * the attempt, then the error with its stack, on stderr.
 */
export function reportJobFailure(error: Error, context: JobErrorContext): void {
  const { task, job, attemptsMade, final } = context;
  const attempts = job?.opts.attempts ?? 1;
  const outcome = final ? 'gave up' : 'will retry';
  console.error(
    `express-background-tasks: job ${job?.id ?? '?'} of task "${task}" ` +
      `failed (attempt ${attemptsMade} of ${attempts}, ${outcome}):`,
    error,
  );
}
