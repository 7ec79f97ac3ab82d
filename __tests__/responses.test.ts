import { Agent, request as httpRequest } from 'node:http';
import request from 'supertest';
import { buildApp, expressVersion, listen } from './helpers/app.js';

function appRecording(ran: string[]) {
  return buildApp((app) => {
    app.get('/stream', (_req, res) => {
      res.locals.tasks.add(() => {
        ran.push('stream');
      });
      for (let i = 0; i < 100; i++) res.write(`chunk ${i}\n`);
      res.end();
    });
    app.all('/any', (req, res) => {
      res.locals.tasks.add(() => {
        ran.push(req.method);
      });
      res.send('body');
    });
    app.get('/empty', (_req, res) => {
      res.locals.tasks.add(() => {
        ran.push('204');
      });
      res.status(204).end();
    });
    app.get('/cached', (_req, res) => {
      res.locals.tasks.add(() => {
        ran.push('cached');
      });
      res.set('ETag', '"v1"').send('cached body');
    });
    app.get('/throws', (_req, res) => {
      res.locals.tasks.add(() => {
        ran.push('before throw');
      });
      res.locals.tasks.add({ when: 'success' }, () => {
        ran.push('only on success');
      });
      throw new Error('route failed');
    });
    app.get('/rejects', async (_req, res) => {
      res.locals.tasks.add(() => {
        ran.push('before rejection');
      });
      await Promise.resolve();
      throw new Error('async route failed');
    });
  });
}

describe('kinds of response', () => {
  it('drains after a streamed response of many writes', async () => {
    const ran: string[] = [];
    const { app, tasks } = appRecording(ran);

    const res = await request(app).get('/stream').expect(200);
    await tasks.drain();

    expect(res.text.split('\n')).toHaveLength(101);
    expect(ran).toEqual(['stream']);
  });

  it('drains after HEAD, 204 and 304 responses', async () => {
    const ran: string[] = [];
    const { app, tasks } = appRecording(ran);

    await request(app).head('/any').expect(200);
    await request(app).get('/empty').expect(204);
    await request(app).get('/cached').set('If-None-Match', '"v1"').expect(304);
    await tasks.drain();

    expect(ran).toEqual(['HEAD', '204', 'cached']);
  });

  it('drains every request on one keep-alive connection', async () => {
    const ran: string[] = [];
    const { app, tasks } = appRecording(ran);
    const server = await listen(app);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();

    for (const method of ['GET', 'POST', 'PUT']) {
      await new Promise<void>((resolve) => {
        const req = httpRequest(`${server.url}/any`, { method, agent });
        req.on('socket', (socket) => sockets.add(socket));
        req.on('response', (res) => res.resume().on('end', resolve));
        req.end();
      });
    }
    await tasks.drain();

    expect(sockets.size).toBe(1);
    expect(ran).toEqual(['GET', 'POST', 'PUT']);
    agent.destroy();
    await server.close();
  });

  it('drains after a route throws, skipping success-only tasks', async () => {
    const ran: string[] = [];
    const { app, tasks, expressErrors } = appRecording(ran);

    await request(app).get('/throws').expect(500);
    await tasks.drain();

    expect(ran).toEqual(['before throw']);
    expect(expressErrors).toHaveLength(1);
    expect(tasks.stats()).toMatchObject({ succeeded: 1, skipped: 1 });
  });

  if (expressVersion === '5') {
    it('drains after an async route rejects (Express 5 answers 500)', async () => {
      const ran: string[] = [];
      const { app, tasks } = appRecording(ran);

      await request(app).get('/rejects').expect(500);
      await tasks.drain();

      expect(ran).toEqual(['before rejection']);
    });
  }
});
