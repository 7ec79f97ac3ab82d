import { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { BackgroundTasks } from './background-tasks.js';
import { parseDrainOptions, parseMiddlewareOptions } from './options.js';
import { Scheduler } from './scheduler.js';
import type {
  BackgroundTasksOptions,
  DrainOptions,
  DrainReport,
  TaskStats,
} from './types.js';

/** The middleware, with the controls of its instance. */
export interface BackgroundTasksMiddleware extends RequestHandler {
  /**
   * Resolves once no request of this instance has queued or running tasks,
   * including requests that have not responded yet. With `timeoutMs`, it
   * resolves by then at the latest: running tasks' signals abort, queued
   * tasks are cancelled, and the report names them. It never rejects.
   *
   * @throws TypeError or RangeError for an invalid option.
   */
  drain(options?: DrainOptions): Promise<DrainReport>;
  /** Gauges and counts of this instance since it was created. */
  stats(): TaskStats;
}

/**
 * Creates the middleware that gives each request a task queue at
 * `res.locals.tasks`, run in order after the response has been sent.
 *
 * @example
 * const tasks = backgroundTasks({ onError: (error, { task }) => log(task) });
 * app.use(tasks);
 * app.post('/orders', (req, res) => {
 *   res.locals.tasks.add(sendReceipt, req.body.email);
 *   res.status(201).end();
 * });
 *
 * @throws TypeError or RangeError for an invalid or unknown option.
 * @throws Error when used as middleware without being called first.
 */
export function backgroundTasks(
  options?: BackgroundTasksOptions,
): BackgroundTasksMiddleware {
  if (options instanceof IncomingMessage) throw new Error(notCalledMessage);

  const config = parseMiddlewareOptions(options);
  const scheduler = new Scheduler(config);
  const { key } = config;

  function backgroundTasksMiddleware(
    req: Request,
    res: Response,
    next: NextFunction,
  ): void {
    // The same instance mounted again (or in a sub-app) keeps its queue,
    // so tasks run once; another instance gets a queue of its own.
    const existing = res.locals[key];
    if (!(existing instanceof BackgroundTasks && existing.ownedBy(scheduler))) {
      res.locals[key] = new BackgroundTasks(undefined, {
        scheduler,
        req,
        res,
      });
    }
    next();
  }

  return Object.assign(backgroundTasksMiddleware, {
    drain(drainOptions?: DrainOptions): Promise<DrainReport> {
      const { timeoutMs } = parseDrainOptions(drainOptions);
      return scheduler.drain(timeoutMs);
    },
    stats: (): TaskStats => scheduler.stats(),
  });
}

const notCalledMessage =
  'backgroundTasks was used as a middleware without being called. ' +
  'Call it to create the middleware: app.use(backgroundTasks()), ' +
  'not app.use(backgroundTasks).';
