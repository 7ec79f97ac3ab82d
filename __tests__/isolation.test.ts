import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import { buildApp } from './helpers/app.js';

describe('concurrent requests', () => {
  it('give each task its own arguments and the context of its add()', async () => {
    const storage = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    const record = async (id: string, step: string) => {
      // Interleave with the other requests before reading the context.
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(`${id}/${step}:${storage.getStore()}`);
    };
    const { app, tasks } = buildApp((app) => {
      app.use((req: Request, _res: Response, next: NextFunction) => {
        storage.run(`request-${req.query.id}`, next);
      });
      app.get('/', (req, res) => {
        const id = String(req.query.id);
        res.locals.tasks.add(record, id, 'a');
        storage.run(`span-${id}`, () => {
          res.locals.tasks.add(record, id, 'b');
        });
        res.send(id);
      });
    });

    const ids = Array.from({ length: 50 }, (_, i) => String(i));
    await Promise.all(
      ids.map((id) => request(app).get(`/?id=${id}`).expect(200, id)),
    );
    await tasks.drain();

    const expected = ids.flatMap((id) => [
      `${id}/a:request-${id}`,
      `${id}/b:span-${id}`,
    ]);
    expect(seen.sort()).toEqual(expected.sort());
  });
});
