// What the call engine asks of a channel: a connection for its call now (the
// fast path: one pick), or later. The engine knows no policy, resolver or
// subchannel (STYLE.md practice 10).
import type { GrpcError } from "../grpc/grpc-error.js";
import type { PickInfo } from "./balancer/balancer.js";
import type { Connection } from "./connection.js";

/** A call waiting for a connection. */
export interface ConnectionWaiter {
  readonly waitForReady: boolean;
  /** What the picker sees of the call. */
  readonly method: PickInfo;
  onConnection(connection: Connection): void;
  onConnectionFailure(error: GrpcError): void;
}

export interface CallTransport {
  /** The connection to start the call on now, if the current picker has one. */
  ready(info: PickInfo): Connection | undefined;
  /** Calls `waiter` back with a connection, or with the error that fails the call. */
  wait(waiter: ConnectionWaiter): void;
  cancelWait(waiter: ConnectionWaiter): void;
}
