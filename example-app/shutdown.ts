import type { Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import type {
  BackgroundTasksMiddleware,
  DrainReport,
} from 'express-background-tasks';

/**
 * Stops accepting requests, lets in-flight ones answer, then waits for
 * their background tasks; all within `timeoutMs`.
 */
export async function shutDown(
  server: Server,
  tasks: BackgroundTasksMiddleware,
  timeoutMs: number,
): Promise<DrainReport> {
  const deadline = Date.now() + timeoutMs;
  await Promise.race([closeServer(server), delay(timeoutMs)]);

  const left = Math.max(1, deadline - Date.now());
  return tasks.drain({ timeoutMs: left });
}

/**
 * Resolves once every connection has ended. In-flight requests still get
 * their answer, and so add their tasks before the drain starts.
 */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
    // A keep-alive socket that answers during shutdown would otherwise
    // stay open for the usual idle timeout (5 s) before close() returns.
    server.keepAliveTimeout = 1;
  });
}
