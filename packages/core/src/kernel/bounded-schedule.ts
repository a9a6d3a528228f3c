/**
 * A schedule for DataLoader batches that lets at most `max` of them run at once: a batch whose
 * dispatch waits keeps gathering keys (up to the loader's maxBatchSize) until a slot frees. An
 * idle loader dispatches after one turn of the event loop, so the keys of every request read in
 * that turn join. Used by verification/coalesced-lookups.ts.
 *
 * @example
 * const schedule = new BoundedSchedule(4);
 * const loader = new DataLoader((keys) => schedule.run(() => fetch(keys)), { cache: false, batchScheduleFn: schedule.schedule });
 */
export class BoundedSchedule {
  #running = 0;
  readonly #waiting: Array<() => void> = [];
  /** Set by {@link run} while a dispatch is under way: DataLoader calls the batch function synchronously. */
  #started = false;

  constructor(private readonly max: number) {}

  readonly schedule = (dispatch: () => void): void => {
    this.#waiting.push(dispatch);
    this.#pump();
  };

  /** Wraps the batch function: holds a slot until its query settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    this.#started = true;
    try {
      return await work();
    } finally {
      this.#running--;
      this.#pump();
    }
  }

  #pump(): void {
    while (this.#running < this.max && this.#waiting.length > 0) {
      const dispatch = this.#waiting.shift()!;
      this.#running++;
      // One turn of the event loop: the keys of every request read in this turn join.
      setImmediate(() => {
        this.#started = false;
        dispatch();
        // An empty batch calls no batch function: give its slot back.
        if (!this.#started) {
          this.#running--;
          this.#pump();
        }
      });
    }
  }
}
