// Deadlines can lie further ahead than setTimeout can wait (2^31−1 ms, ~24.8
// days; longer delays fire at once). The timer re-arms itself in steps.

const MAX_DELAY = 2 ** 31 - 1;

export class DeadlineTimer {
  private handle: ReturnType<typeof setTimeout> | undefined;

  /** `deadline` is a `Date.now()` timestamp in ms. */
  constructor(
    private readonly deadline: number,
    private readonly onExpire: () => void,
  ) {
    this.arm();
  }

  private arm(): void {
    const remaining = this.deadline - Date.now();
    if (remaining > MAX_DELAY) {
      this.handle = setTimeout(() => this.arm(), MAX_DELAY);
    } else {
      this.handle = setTimeout(() => {
        this.handle = undefined;
        this.onExpire();
      }, Math.max(0, remaining));
    }
  }

  clear(): void {
    if (this.handle !== undefined) {
      clearTimeout(this.handle);
      this.handle = undefined;
    }
  }
}
