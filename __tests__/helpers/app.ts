import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import {
  type BackgroundTasksMiddleware,
  type BackgroundTasksOptions,
  backgroundTasks,
} from '../../lib/index.js';

type Express = typeof express;

/** The Express that this project run tests against: 5, or 4 by alias. */
export const expressVersion = process.env.EBT_EXPRESS === '4' ? '4' : '5';
export const createExpress: Express =
  expressVersion === '4' ? require('express4') : require('express');

export interface TestApp {
  app: express.Express;
  tasks: BackgroundTasksMiddleware;
  /** Errors that reached Express's own error handler. */
  expressErrors: unknown[];
}

/**
 * Builds an app with the middleware mounted; `routes` adds the routes.
 * Express's error handler records what reaches it, then answers 500.
 */
export function buildApp(
  routes: (app: express.Express) => void,
  options: BackgroundTasksOptions = { onError: () => {} },
): TestApp {
  const app = createExpress();
  const tasks = backgroundTasks(options);
  const expressErrors: unknown[] = [];

  app.use(tasks);
  routes(app);
  app.use(
    (
      error: unknown,
      _req: express.Request,
      res: express.Response,
      _next: express.NextFunction,
    ) => {
      expressErrors.push(error);
      res.status(500).send('error');
    },
  );
  return { app, tasks, expressErrors };
}

/** Starts `app` on a random loopback port. */
export async function listen(app: express.Express): Promise<{
  server: Server;
  url: string;
  close: () => Promise<void>;
}> {
  const server = await new Promise<Server>((resolve) => {
    const started = app.listen(0, '127.0.0.1', () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A promise with its resolve function, for waiting on events. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
} {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/**
 * Fails each test of the calling `describe` that lets an unhandled
 * rejection or an uncaught exception reach the process.
 */
export function failOnProcessTrouble(): void {
  let trouble: ReturnType<typeof watchProcess>;
  beforeEach(() => {
    trouble = watchProcess();
  });
  afterEach(() => {
    trouble.stop();
    expect(trouble.unhandled).toEqual([]);
    expect(trouble.uncaught).toEqual([]);
  });
}

/** Records process-level trouble while a test runs. */
export function watchProcess(): {
  unhandled: unknown[];
  uncaught: unknown[];
  warnings: Error[];
  stop: () => void;
} {
  const unhandled: unknown[] = [];
  const uncaught: unknown[] = [];
  const warnings: Error[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  const onUncaught = (error: unknown) => uncaught.push(error);
  const onWarning = (warning: Error) => warnings.push(warning);

  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUncaught);
  process.on('warning', onWarning);
  return {
    unhandled,
    uncaught,
    warnings,
    stop: () => {
      process.off('unhandledRejection', onUnhandled);
      process.off('uncaughtException', onUncaught);
      process.off('warning', onWarning);
    },
  };
}

/**
 * Collects garbage until every reference is gone or a few event-loop
 * turns have passed (some Node versions free the last request a turn
 * later); returns the references still alive.
 */
export async function aliveAfterGc(
  refs: WeakRef<object>[],
  collectGarbage: () => void,
): Promise<WeakRef<object>[]> {
  let alive = refs;
  for (let turn = 0; turn < 5 && alive.length > 0; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    alive = alive.filter((ref) => ref.deref() !== undefined);
  }
  return alive;
}
