import request from 'supertest';
import { BackgroundTasks } from '../lib/index.js';
import { buildApp } from './helpers/app.js';

describe("under a user's fake timers", () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('still drains the middleware queues', async () => {
    const ran: string[] = [];
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(async () => {
          ran.push('task');
        });
        res.send('ok');
      });
    });
    jest.useFakeTimers();

    await request(app).get('/').expect(200);
    await tasks.drain();

    expect(ran).toEqual(['task']);
  });

  it('still runs a standalone queue and its timeouts', async () => {
    jest.useFakeTimers();
    const queue = new BackgroundTasks({ onError: () => {} });
    queue.add(async () => {});
    queue.add({ timeoutMs: 10 }, () => new Promise(() => {}));

    const summary = await queue.runAll();

    expect(summary).toMatchObject({ succeeded: 1, timedOut: 1 });
  });
});
