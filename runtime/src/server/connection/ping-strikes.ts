// Server-side keepalive enforcement (gRFC A8, doc/keepalive.md): counts PINGs
// that come sooner than the policy allows. Pure: time and the connection's
// state come in as arguments, so the rules are tested without sockets.
import { MAX_PING_STRIKES, NO_CALLS_MIN_PING_INTERVAL } from "./policy.js";

export class PingStrikes {
  private strikes = 0;
  private lastPingAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly minTime: number,
    private readonly permitWithoutCalls: boolean,
  ) {}

  /**
   * Records a PING received at `now` (ms) while `activeCalls` calls were open.
   * `sentSinceLastPing`: the server sent headers or data since the previous
   * PING, which makes this one legitimate and clears the strikes (a client may
   * ping in answer to data, e.g. to estimate bandwidth). Returns true once the
   * strikes exceed the limit: the client must get GOAWAY `too_many_pings`.
   */
  onPing(now: number, activeCalls: number, sentSinceLastPing: boolean): boolean {
    const last = this.lastPingAt;
    this.lastPingAt = now;
    if (sentSinceLastPing) {
      this.strikes = 0;
      return false;
    }
    // As grpc-go and C-core: without calls (and not permitted) the bound is 2 h, whatever minTime says.
    const allowedInterval = activeCalls === 0 && !this.permitWithoutCalls ? NO_CALLS_MIN_PING_INTERVAL : this.minTime;
    if (now - last < allowedInterval) this.strikes++;
    return this.strikes > MAX_PING_STRIKES;
  }
}
