// The child side of the bench's one-request-at-a-time protocol: the parent
// sends a message, the child answers with { result } or { error }.

/**
 * Answers each message from the parent with `handler(message)`, after
 * telling the parent it is ready with `info`.
 *
 * @param {(message: any) => unknown} handler
 * @param {unknown} [info]
 */
export function serveParent(handler, info = {}) {
  // A worker must never outlive the bench, even if the bench is killed.
  process.on('disconnect', () => process.exit(0));
  process.on('message', async (message) => {
    try {
      process.send({ result: await handler(message) });
    } catch (error) {
      process.send({ error: error?.stack ?? String(error) });
    }
  });
  process.send({ ready: info });
}

/** The value of `--name=value` on the command line, or `fallback`. */
export function argument(name, fallback) {
  const prefix = `--${name}=`;
  const found = process.argv.find((arg) => arg.startsWith(prefix));
  return found === undefined ? fallback : found.slice(prefix.length);
}
