import { backgroundTasks } from 'express-background-tasks';
import onFinished from 'on-finished';

/**
 * The ways to run work after a hello-world response, as a user would
 * write each one: an optional middleware, and what the route does just
 * before it responds. Every variant but `bare` and `ours-none` runs one
 * task per request.
 */
const builders = {
  bare: () => ({}),
  'ours-none': () => ({ middleware: backgroundTasks() }),
  'ours-one': (task) => ({
    middleware: backgroundTasks(),
    beforeResponse: (_req, res) => res.locals.tasks.add(task),
  }),
  finish: (task) => ({
    beforeResponse: (_req, res) => res.on('finish', () => void task()),
  }),
  'on-finished': (task) => ({
    beforeResponse: (_req, res) => onFinished(res, () => void task()),
  }),
  'fire-and-forget': (task) => ({
    beforeResponse: () => void task(),
  }),
};

/** How each variant is named in tables and charts. */
export const labels = {
  bare: 'bare Express',
  'ours-none': 'backgroundTasks(), no task',
  'ours-one': 'backgroundTasks(), one task',
  finish: "res.on('finish', task)",
  'on-finished': 'onFinished(res, task)',
  'fire-and-forget': 'void task() (fire-and-forget)',
};

/** Variants that run one task for every request. */
export const runsTasks = new Set([
  'ours-one',
  'finish',
  'on-finished',
  'fire-and-forget',
]);

/**
 * Builds a variant around `task`.
 *
 * @param {keyof typeof builders} name
 * @param {() => Promise<void>} task
 * @returns {{
 *   middleware?: (req: object, res: object, next: () => void) => void,
 *   beforeResponse?: (req: object, res: object) => void,
 * }}
 */
export function createVariant(name, task) {
  const build = builders[name];
  if (!build) throw new Error(`unknown variant "${name}"`);
  return build(task);
}
