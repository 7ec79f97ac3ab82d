import { setTimeout as sleep } from 'node:timers/promises';

let completed = 0;

/** How many task bodies have finished in this process. */
export function completedTasks() {
  return completed;
}

/** The no-op task: its one increment lets the bench check that it ran. */
export async function noopTask() {
  completed++;
}

/** A task that waits 50 ms without using the CPU, like a network call. */
export async function sleepTask() {
  await sleep(50);
  completed++;
}

/** A task that keeps the CPU busy for 2 ms, like rendering or hashing. */
export async function cpuTask() {
  const until = performance.now() + 2;
  while (performance.now() < until) {
    // Spin: the point is to hold the event loop.
  }
  completed++;
}

/** The task bodies by the name that the workers take as an argument. */
export const tasksByName = {
  noop: noopTask,
  sleep: sleepTask,
  cpu: cpuTask,
};
