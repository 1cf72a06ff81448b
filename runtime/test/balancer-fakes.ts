// Fakes for balancer unit tests: subchannels whose state the test drives, and
// a BalancerHelper that records what a policy publishes. No sockets, no timers.
import { GrpcError } from "../src/grpc/grpc-error.js";
import { Status } from "../src/grpc/status.js";
import type { BalancerHelper, Picker, PickResult, Subchannel } from "../src/client/balancer/balancer.js";
import { ConnectivityState } from "../src/client/connectivity.js";
import type { Address } from "../src/client/resolver/resolver.js";

type Listener = (subchannel: Subchannel, state: ConnectivityState) => void;

/** `127.0.0.1:port` as a resolver would send it. */
export function tcp(port: number): Address {
  return { kind: "tcp", host: "127.0.0.1", port };
}

export function name(address: Address): string {
  return address.kind === "tcp" ? `${address.host}:${address.port}` : address.path;
}

/**
 * A subchannel the test moves between states. connect() from IDLE goes to
 * CONNECTING, or, with `failNextConnect`, to CONNECTING and then at once to
 * TRANSIENT_FAILURE (as a dial that throws synchronously does).
 */
export class FakeSubchannel implements Subchannel {
  state: ConnectivityState = ConnectivityState.IDLE;
  lastError: GrpcError | undefined;
  connects = 0;
  released = false;
  failNextConnect = false;
  private readonly listeners: Listener[] = [];

  constructor(
    readonly address: Address,
    /** Where release() is logged, to check its order against what the policy publishes. */
    private readonly log: string[] = [],
  ) {}

  connect(): void {
    if (this.state !== ConnectivityState.IDLE) return;
    this.connects++;
    this.set(ConnectivityState.CONNECTING);
    if (this.failNextConnect) {
      this.failNextConnect = false;
      this.fail();
    }
  }

  onStateChange(listener: Listener): void {
    this.listeners.push(listener);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.log.push(`release ${name(this.address)}`);
    this.listeners.length = 0;
    this.state = ConnectivityState.SHUTDOWN;
  }

  /** The connection attempt failed: TRANSIENT_FAILURE with an error naming the address. */
  fail(message = "connection refused"): void {
    this.lastError = new GrpcError(Status.UNAVAILABLE, `failed to connect to ${name(this.address)}: ${message}`);
    this.set(ConnectivityState.TRANSIENT_FAILURE);
  }

  /** Moves to `state` and tells the listeners, as a real subchannel does. */
  set(state: ConnectivityState): void {
    if (this.released) throw new Error(`test drove released subchannel ${name(this.address)}`);
    if (this.state === state) return;
    if (state === ConnectivityState.READY) this.lastError = undefined;
    this.state = state;
    for (const listener of this.listeners.slice()) listener(this, state);
  }
}

export interface Published {
  readonly state: ConnectivityState;
  readonly picker: Picker;
}

/** Records every subchannel made and every state published. */
export class FakeHelper implements BalancerHelper {
  readonly created: FakeSubchannel[] = [];
  readonly published: Published[] = [];
  reresolutions = 0;
  /** `publish STATE` and `release ADDRESS`, in order. */
  readonly log: string[] = [];
  /** Runs inside createSubchannel, before the subchannel is returned (e.g. to make it fail on connect). */
  onCreate: ((subchannel: FakeSubchannel) => void) | undefined;

  createSubchannel(address: Address): FakeSubchannel {
    const subchannel = new FakeSubchannel(address, this.log);
    this.created.push(subchannel);
    this.onCreate?.(subchannel);
    return subchannel;
  }

  updateState(state: ConnectivityState, picker: Picker): void {
    this.published.push({ state, picker });
    this.log.push(`publish ${state}`);
  }

  requestReresolution(): void {
    this.reresolutions++;
  }

  get state(): ConnectivityState | undefined {
    return this.published.at(-1)?.state;
  }

  get picker(): Picker {
    const last = this.published.at(-1);
    if (last === undefined) throw new Error("nothing published yet");
    return last.picker;
  }

  pick(): PickResult {
    return this.picker.pick({ path: "/test.Service/Method" });
  }

  /** The live (not released) subchannel of `address`, made last. */
  live(address: Address): FakeSubchannel {
    const found = this.created.filter((s) => !s.released && name(s.address) === name(address)).at(-1);
    if (found === undefined) throw new Error(`no live subchannel for ${name(address)}`);
    return found;
  }

  /** Names of the addresses of live subchannels, in creation order. */
  liveNames(): string[] {
    return this.created.filter((s) => !s.released).map((s) => name(s.address));
  }
}

/** The subchannel a pick went to, or the pick's kind when it went nowhere. */
export function pickedName(result: PickResult): string {
  return result.kind === "subchannel" ? name(result.subchannel.address) : result.kind;
}
