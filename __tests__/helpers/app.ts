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
