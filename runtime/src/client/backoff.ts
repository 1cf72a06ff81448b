// Connection backoff exactly as grpc/grpc doc/connection-backoff.md:
//
//   backoff  = INITIAL_BACKOFF;  deadline = now + INITIAL_BACKOFF
//   while TryConnect(max(deadline, now + MIN_CONNECT_TIMEOUT)) fails:
//     sleep until deadline
//     backoff  = min(backoff * MULTIPLIER, MAX_BACKOFF)
//     deadline = now + backoff ± JITTER * backoff
//
// ConnectionBackoff holds that state for one subchannel; the subchannel
// (subchannel/subchannel.ts) runs the loop, on the channel's clock.

export interface BackoffOptions {
  /** ms before the second attempt. Default 1 000. */
  readonly initialBackoff?: number;
  /** Growth per attempt. Default 1.6. */
  readonly multiplier?: number;
  /** Relative spread of each delay after the first: ±jitter × backoff. Default 0.2. */
  readonly jitter?: number;
  /** Upper bound of the backoff, in ms (before jitter). Default 120 000. */
  readonly maxBackoff?: number;
  /** Least time one connection attempt is given, in ms. Default 20 000. */
  readonly minConnectTimeout?: number;
  /** Uniform in [0, 1). Default Math.random. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF = {
  initialBackoff: 1_000,
  multiplier: 1.6,
  jitter: 0.2,
  maxBackoff: 120_000,
  minConnectTimeout: 20_000,
} as const;

/** One connection attempt's timing. */
export interface ConnectAttempt {
  /** When the attempt is abandoned (absolute ms). */
  readonly connectDeadline: number;
  /** When the next attempt may start if this one fails (absolute ms). */
  readonly retryAt: number;
}

export class ConnectionBackoff {
  private readonly initial: number;
  private readonly multiplier: number;
  private readonly jitter: number;
  private readonly max: number;
  private readonly minConnectTimeout: number;
  private readonly random: () => number;
  private backoff: number;
  private started = false;

  constructor(options: BackoffOptions = {}) {
    this.initial = positive(options.initialBackoff ?? DEFAULT_BACKOFF.initialBackoff, "initialBackoff");
    this.multiplier = options.multiplier ?? DEFAULT_BACKOFF.multiplier;
    if (!(this.multiplier >= 1)) throw new RangeError(`backoff multiplier must be at least 1, got ${this.multiplier}`);
    this.jitter = options.jitter ?? DEFAULT_BACKOFF.jitter;
    if (!(this.jitter >= 0 && this.jitter < 1)) throw new RangeError(`backoff jitter must be in [0, 1), got ${this.jitter}`);
    this.max = positive(options.maxBackoff ?? DEFAULT_BACKOFF.maxBackoff, "maxBackoff");
    if (this.max < this.initial) throw new RangeError(`maxBackoff (${this.max}) is below initialBackoff (${this.initial})`);
    this.minConnectTimeout = positive(options.minConnectTimeout ?? DEFAULT_BACKOFF.minConnectTimeout, "minConnectTimeout");
    this.random = options.random ?? Math.random;
    this.backoff = this.initial;
  }

  /** Timing of the attempt starting at `now`; the first after construction or reset() waits INITIAL_BACKOFF, unjittered. */
  nextAttempt(now: number): ConnectAttempt {
    let delay: number;
    if (!this.started) {
      this.started = true;
      this.backoff = this.initial;
      delay = this.initial;
    } else {
      this.backoff = Math.min(this.backoff * this.multiplier, this.max);
      delay = this.backoff + this.backoff * this.jitter * (this.random() * 2 - 1);
    }
    const retryAt = now + delay;
    return { retryAt, connectDeadline: Math.max(retryAt, now + this.minConnectTimeout) };
  }

  /** A connection succeeded: the next failure starts the schedule over. */
  reset(): void {
    this.started = false;
    this.backoff = this.initial;
  }
}

function positive(value: number, name: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be a positive number of ms, got ${value}`);
  return value;
}
