// Time as the client's timers see it: injectable, so that tests of schedules
// measured in seconds or minutes (backoff, re-resolution) run without waiting.

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds, on the same scale as Date.now(). */
  now(): number;
  /** Runs `callback` after `ms`; the timer must not keep the process alive. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    timer.unref();
    return timer;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
