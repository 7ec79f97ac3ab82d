// Drives a variant in-process, without a network, so that a difference of
// a tenth of a microsecond stands out of the noise. Each request uses the
// real `http.IncomingMessage` and `http.ServerResponse`, so `res.end()`
// runs Node's own header and write path, `res.on()` its own emitter, and
// on-finished its own socket checks. Only the socket is fake: a Writable
// that accepts every write, which is all a response needs to emit
// 'finish'. What Node's server does on 'finish' is replayed: detach the
// socket, then emit 'close' on the next tick. Express's router is left
// out: it costs the same with every variant, and its tens of microseconds
// would bury the differences that this bench is after.
import { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';

const body = 'Hello World!';

/** Stands in for Express's router when a variant has no middleware. */
function passThrough(_req, _res, next) {
  next();
}

function nothing() {}

function createSocket() {
  return new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });
}

/**
 * Runs batches of `concurrency` requests through `variant`: each batch
 * starts them all, then waits one event-loop turn, by which time every
 * response has closed and every task of this bench has run.
 *
 * @param {{ middleware?: Function, beforeResponse?: Function }} variant
 * @param {number} concurrency requests in flight at once
 */
export function createRequestDriver(variant, concurrency) {
  const middleware = variant.middleware ?? passThrough;
  const beforeResponse = variant.beforeResponse ?? nothing;
  const sockets = Array.from({ length: concurrency }, createSocket);
  let closed = 0;

  function emitClose(res) {
    res.destroyed = true;
    res._closed = true;
    res.emit('close');
    closed++;
  }

  function handle(socket) {
    const req = new IncomingMessage(socket);
    req.method = 'GET';
    req.url = '/';
    req.httpVersionMajor = 1;
    req.httpVersionMinor = 1;
    const res = new ServerResponse(req);
    // Node's server registers its own 'finish' listener first, too.
    res.on('finish', () => {
      res.detachSocket(socket);
      process.nextTick(emitClose, res);
    });
    res.assignSocket(socket);
    res.locals = Object.create(null);

    middleware(req, res, () => {
      beforeResponse(req, res);
      res.end(body);
    });
  }

  /**
   * Runs one batch of `concurrency` requests; rejects if a response did not
   * close in time.
   */
  async function runBatch() {
    closed = 0;
    for (const socket of sockets) handle(socket);
    await new Promise(setImmediate);
    if (closed !== concurrency) {
      throw new Error(`${concurrency - closed} responses did not close`);
    }
  }

  /**
   * Runs at least `requests` requests.
   *
   * @returns the number of requests run.
   */
  async function run(requests) {
    const batches = Math.ceil(requests / concurrency);
    for (let i = 0; i < batches; i++) await runBatch();
    return batches * concurrency;
  }

  return { run, runBatch };
}
