import type { Task } from './task.js';

/**
 * A queue's waiting tasks, in the order added. A cancelled task stays in
 * place and is skipped; the list drops such tasks once they outnumber the
 * waiting ones, so a long-lived response that keeps cancelling and adding
 * stays small.
 */
export class TaskList {
  #slots: (Task | undefined)[] = [];
  #head = 0;
  #size = 0;

  /** Tasks still waiting: added, not started, cancelled or skipped. */
  get size(): number {
    return this.#size;
  }

  push(task: Task): void {
    this.#slots.push(task);
    this.#size++;
  }

  /** Takes the next waiting task out of the list. */
  shift(): Task | undefined {
    const slots = this.#slots;
    while (this.#head < slots.length) {
      const task = slots[this.#head];
      slots[this.#head++] = undefined;
      if (task?.status === 'queued') {
        this.#size--;
        return task;
      }
    }
    this.#clearSlots();
    return undefined;
  }

  /** A copy, so that cancelling while looping over it skips nothing. */
  waiting(): Task[] {
    const waiting: Task[] = [];
    for (let i = this.#head; i < this.#slots.length; i++) {
      const task = this.#slots[i];
      if (task?.status === 'queued') waiting.push(task);
    }
    return waiting;
  }

  /** Counts out a task that was cancelled where it stood. */
  cancelled(): void {
    this.#size--;
    const slots = this.#slots.length - this.#head;
    if (this.#size === 0) {
      this.#clearSlots();
    } else if (slots > 2 * this.#size + 16) {
      this.#slots = this.waiting();
      this.#head = 0;
    }
  }

  #clearSlots(): void {
    this.#slots = [];
    this.#head = 0;
  }
}
