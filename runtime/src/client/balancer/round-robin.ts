// round_robin (grpc/grpc doc/load-balancing.md): a connection to every
// address; calls rotate over the READY ones. A lost or failed subchannel is
// reconnected in the background (on its backoff) and skipped meanwhile; losing
// a READY one, or failing to connect, asks for re-resolution (the resolver
// rate-limits it). The policy is READY while any subchannel is; a subchannel
// that failed counts as failing until it is READY again, so the channel does
// not flap between CONNECTING and TRANSIENT_FAILURE while everything is down
// (gRFC A61's sticky failure).
import type { GrpcError } from "../../grpc/grpc-error.js";
import { ConnectivityState } from "../connectivity.js";
import type { Address } from "../resolver/resolver.js";
import type { Balancer, BalancerHelper, BalancerUpdate, Picker, PickResult, Subchannel } from "./balancer.js";
import { addressKey, failingPicker, queuePicker } from "./pickers.js";

export function createRoundRobin(helper: BalancerHelper): Balancer {
  return new RoundRobin(helper);
}

/** Rotates over `results`, starting at a random one so that clients do not all start on the first backend. */
function rotatingPicker(subchannels: readonly Subchannel[]): Picker {
  const results: PickResult[] = subchannels.map((subchannel) => Object.freeze({ kind: "subchannel", subchannel }));
  let next = Math.floor(Math.random() * results.length);
  return {
    pick: () => {
      const result = results[next]!;
      next = next + 1 === results.length ? 0 : next + 1;
      return result;
    },
  };
}

class RoundRobin implements Balancer {
  private subchannels: Subchannel[] = [];
  /** Failed since it was last READY. */
  private readonly failing = new WeakSet<Subchannel>();
  private resolverFailure: GrpcError | undefined;
  /** The most recent connection failure, for the calls a TRANSIENT_FAILURE picker fails. */
  private lastError: GrpcError | undefined;
  private closed = false;
  /** The READY list the current picker rotates over, to publish only when it changes. */
  private published: readonly Subchannel[] | undefined;
  private publishedState: ConnectivityState | undefined;

  constructor(private readonly helper: BalancerHelper) {}

  update({ addresses }: BalancerUpdate): void {
    if (this.closed) return;
    this.resolverFailure = undefined;
    const old = new Map(this.subchannels.map((s) => [addressKey(s.address), s]));
    const next: Subchannel[] = [];
    for (const address of addresses) {
      const key = addressKey(address);
      const existing = old.get(key);
      if (existing !== undefined) old.delete(key);
      else if (next.some((s) => addressKey(s.address) === key)) continue;
      next.push(existing ?? this.create(address));
    }
    this.subchannels = next;
    // Removed backends leave the picker before their connections drain.
    this.publishAggregate();
    for (const removed of old.values()) removed.release();
    for (const s of next) s.connect();
  }

  resolverError(error: GrpcError): void {
    if (this.closed) return;
    if (this.subchannels.length > 0) return; // keep using the addresses we have
    this.resolverFailure = error;
    this.publishAggregate();
  }

  exitIdle(): void {
    for (const s of this.subchannels) s.connect();
  }

  close(): void {
    this.closed = true;
    for (const s of this.subchannels) s.release();
    this.subchannels = [];
  }

  private create(address: Address): Subchannel {
    const subchannel = this.helper.createSubchannel(address);
    subchannel.onStateChange((s, state) => this.onSubchannelState(s, state));
    return subchannel;
  }

  private onSubchannelState(subchannel: Subchannel, state: ConnectivityState): void {
    if (this.closed) return;
    switch (state) {
      case ConnectivityState.READY:
        this.failing.delete(subchannel);
        break;
      case ConnectivityState.TRANSIENT_FAILURE:
        this.failing.add(subchannel);
        this.lastError = subchannel.lastError;
        // The backend may have moved (a replaced replica): fresh names may list its successor.
        this.helper.requestReresolution();
        break;
      case ConnectivityState.IDLE:
        if (!this.failing.has(subchannel)) this.helper.requestReresolution(); // a READY connection was lost
        subchannel.connect();
        break;
      default:
        break;
    }
    this.publishAggregate();
  }

  private publishAggregate(): void {
    const ready = this.subchannels.filter((s) => s.state === ConnectivityState.READY);
    if (ready.length > 0) {
      const same = this.publishedState === ConnectivityState.READY && sameList(ready, this.published);
      if (!same) this.publish(ConnectivityState.READY, rotatingPicker(ready), ready);
      return;
    }
    const connecting = this.subchannels.some((s) => !this.failing.has(s) && s.state !== ConnectivityState.SHUTDOWN);
    if (connecting) {
      if (this.publishedState !== ConnectivityState.CONNECTING) this.publish(ConnectivityState.CONNECTING, queuePicker, undefined);
      return;
    }
    const error = this.resolverFailure ?? this.lastError;
    this.publish(ConnectivityState.TRANSIENT_FAILURE, error !== undefined ? failingPicker(error) : queuePicker, undefined);
  }

  private publish(state: ConnectivityState, picker: Picker, ready: readonly Subchannel[] | undefined): void {
    this.publishedState = state;
    this.published = ready;
    this.helper.updateState(state, picker);
  }
}

function sameList(a: readonly Subchannel[], b: readonly Subchannel[] | undefined): boolean {
  return b !== undefined && a.length === b.length && a.every((s, i) => s === b[i]);
}
