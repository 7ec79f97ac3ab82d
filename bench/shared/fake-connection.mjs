// Drives a variant through a real Express 5 app and Node's real HTTP
// parser, over in-memory sockets: the whole path of a request but the
// kernel's, whose cost on a shared machine varies more than the
// differences measured. Each socket is a Duplex that the server reads
// requests from and writes responses to; the driver counts the responses.
import { createServer } from 'node:http';
import { Duplex } from 'node:stream';
import express from 'express';

const request = Buffer.from('GET / HTTP/1.1\r\nHost: localhost\r\n\r\n');
const statusLine = 'HTTP/1.1 200';

/**
 * Runs batches of `concurrency` keep-alive requests, one per socket, through
 * an app with `variant` mounted.
 *
 * @param {{ middleware?: Function, beforeResponse?: Function }} variant
 * @param {number} concurrency sockets, and so requests in flight
 */
export function createExpressDriver(variant, concurrency) {
  const server = createServer(createApp(variant));
  let responses = 0;
  const countResponses = (text) => {
    for (let at = text.indexOf(statusLine); at !== -1; ) {
      responses++;
      at = text.indexOf(statusLine, at + 1);
    }
  };
  const sockets = Array.from({ length: concurrency }, () =>
    connect(server, countResponses),
  );

  async function runBatch() {
    const expected = responses + concurrency;
    for (const socket of sockets) socket.push(request);
    for (let turns = 0; responses < expected; turns++) {
      if (turns > 1_000) throw new Error('responses did not arrive');
      await new Promise(setImmediate);
    }
    // One more turn: the last responses' 'close' and tasks come after.
    await new Promise(setImmediate);
  }

  async function run(requests) {
    const batches = Math.ceil(requests / concurrency);
    for (let i = 0; i < batches; i++) await runBatch();
    return batches * concurrency;
  }

  return { run };
}

function createApp({ middleware, beforeResponse = () => {} }) {
  const app = express();
  if (middleware) app.use(middleware);
  app.get('/', (req, res) => {
    beforeResponse(req, res);
    res.send('Hello World!');
  });
  return app;
}

function connect(server, countResponses) {
  const socket = new Duplex({
    read() {},
    write(chunk, _encoding, callback) {
      countResponses(chunk.toString('latin1'));
      callback();
    },
  });
  // What the server calls on a real socket, as no-ops.
  socket.remoteAddress = '127.0.0.1';
  socket.setTimeout = () => socket;
  socket.setNoDelay = () => socket;
  socket.setKeepAlive = () => socket;
  server.emit('connection', socket);
  return socket;
}
