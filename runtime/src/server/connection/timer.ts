// One-shot, unref'd timers for connection lifetimes. setTimeout caps delays at
// 2^31-1 ms (about 24.8 days) and fires a longer one after 1 ms: a long delay
// is waited for in steps, on the monotonic clock. Infinity never fires.

const MAX_TIMER_DELAY = 2 ** 31 - 1;

export class LongTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;

  constructor(delay: number, onFire: () => void) {
    if (delay === Infinity) return;
    const due = performance.now() + delay;
    const arm = (wait: number): void => {
      this.handle = setTimeout(() => {
        const left = due - performance.now();
        if (left > 0) arm(Math.min(left, MAX_TIMER_DELAY));
        else {
          this.handle = undefined;
          onFire();
        }
      }, wait);
      this.handle.unref();
    };
    arm(Math.min(delay, MAX_TIMER_DELAY));
  }

  clear(): void {
    if (this.handle !== undefined) clearTimeout(this.handle);
    this.handle = undefined;
  }
}
