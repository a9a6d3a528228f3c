/**
 * Load shedding: when the event loop falls behind, new work is refused with 503 and
 * Retry-After instead of queueing behind it (a queue only turns overload into latency for
 * everyone). Anonymous callers are shed first, at a lower lag than callers with a token, so a
 * flood of anonymous requests cannot starve a paying platform.
 *
 * The lag comes from node's `perf_hooks.monitorEventLoopDelay` (a histogram sampled by libuv's
 * timer) and from how late the shedder's own window timer fires: every `windowMs` the shedder
 * reads the larger of the two and resets the histogram; the lag is the larger of the last two
 * windows (a stall recorded just after a reset still counts). The window timer's own lateness
 * matters because after a stall both timers are overdue and either may run first: the
 * histogram alone would see the stall one window late.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';

export interface LoadShedderOptions {
  /** Lag (ms, largest delay of the last two windows) above which anonymous requests are refused (default 100; 0 = never). */
  anonymousLagMs?: number;
  /** Lag above which every request is refused (default 1,000; 0 = never). */
  allLagMs?: number;
  /** How often the lag is read (default 250 ms). */
  windowMs?: number;
}

export class LoadShedder {
  readonly #histogram: IntervalHistogram;
  readonly #timer: NodeJS.Timeout;
  readonly #anonymousLagMs: number;
  readonly #allLagMs: number;
  #lagMs = 0;
  #previousMs = 0;
  #lastTickAt = performance.now();

  /**
   * @example
   * const shedder = new LoadShedder({ anonymousLagMs: 100 });
   * if (shedder.shouldShed(authenticated)) reply503();
   * shedder.close();
   */
  constructor(options: LoadShedderOptions = {}) {
    this.#anonymousLagMs = options.anonymousLagMs ?? 100;
    this.#allLagMs = options.allLagMs ?? 1_000;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    const intervalMs = options.windowMs ?? 250;
    this.#timer = setInterval(() => {
      const now = performance.now();
      const ownLatenessMs = Math.max(0, now - this.#lastTickAt - intervalMs);
      this.#lastTickAt = now;
      const sampledMs = this.#histogram.count === 0 ? 0 : this.#histogram.max / 1e6;
      const windowMs = Math.max(sampledMs, ownLatenessMs);
      this.#lagMs = Math.max(windowMs, this.#previousMs);
      this.#previousMs = windowMs;
      this.#histogram.reset();
    }, intervalMs);
    this.#timer.unref();
  }

  /** The event loop's lag (largest delay of the last two windows, ms). */
  get lagMs(): number {
    return this.#lagMs;
  }

  /** Whether to refuse a request now; `authenticated` callers are refused only at the higher threshold. */
  shouldShed(authenticated: boolean): boolean {
    const threshold = authenticated ? this.#allLagMs : this.#anonymousLagMs;
    return threshold > 0 && this.#lagMs > threshold;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}
