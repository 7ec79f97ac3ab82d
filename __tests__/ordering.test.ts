import request from 'supertest';
import { buildApp } from './helpers/app.js';

describe('running tasks', () => {
  it('runs tasks in the order added, each with its arguments', async () => {
    const calls: string[] = [];
    const record = (label: string, n: number) => {
      calls.push(`${label}${n}`);
    };
    const { app, tasks } = buildApp((app) => {
      app.get('/', (_req, res) => {
        res.locals.tasks.add(record, 'a', 1);
        res.locals.tasks.add(async (label: string) => {
          await Promise.resolve();
          calls.push(label);
        }, 'b');
        res.locals.tasks.add(record, 'c', 3);
        res.send('ok');
      });
    });

    await request(app).get('/').expect(200, 'ok');
    await tasks.drain();

    expect(calls).toEqual(['a1', 'b', 'c3']);
  });
});
