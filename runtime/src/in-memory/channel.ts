// A Channel whose calls run a server's handlers in this process, for unit
// tests without a network (connect-es's router transport plays this part
// there). Each call goes through what the wire would do to it: messages are
// encoded by one side and decoded by the other with each side's limits,
// metadata travels in header form, and the status in trailers, so handlers
// and clients see what they would see over HTTP/2. The server needs no
// listen(); its interceptors and onError apply as usual.
import { acceptEncodingHeader, SUPPORTED_COMPRESSION } from "../grpc/compression.js";
import type { MethodDefinition } from "../grpc/service.js";
import { USER_AGENT } from "../grpc/version.js";
import type { PartialMessage } from "../message/types.js";
import type { RequestStream } from "../client/call.js";
import type { CallOptions } from "../client/call-options.js";
import type { Channel, ChannelOptions } from "../client/channel.js";
import { ConnectivityState, StateWatchers } from "../client/connectivity.js";
import { intercept } from "../client/interceptors/intercept.js";
import type { Server } from "../server/server.js";
import { serverInternals } from "../server/server.js";
import { IN_MEMORY_AUTHORITY, type InMemoryCallConfig, InMemoryClientCall } from "./client-side.js";

/** The channel options that mean something without a network; the server's limits come from its ServerOptions. */
export type InMemoryChannelOptions = Pick<
  ChannelOptions,
  "maxReceiveMessageSize" | "maxSendMessageSize" | "compression" | "acceptCompression" | "userAgent" | "interceptors"
>;

const DEFAULT_MAX_RECEIVE_MESSAGE_SIZE = 4 * 1024 * 1024;
/** The length prefix has 32 bits. */
const MAX_MESSAGE_SIZE = 2 ** 32 - 1;

/**
 * A channel to `server` (made by createServer(), with its services added)
 * that calls its handlers in this process. It is READY from the start;
 * close() makes it SHUTDOWN, after which new calls fail with UNAVAILABLE.
 * `interceptors` run around its calls as around a network channel's; the
 * server's own run around its handlers.
 */
export function createInMemoryChannel(server: Server, options: InMemoryChannelOptions = {}): Channel {
  const channel = new InMemoryChannel(server, options);
  const interceptors = options.interceptors;
  return interceptors === undefined || interceptors.length === 0 ? channel : intercept(channel, ...interceptors);
}

class InMemoryChannel implements Channel {
  readonly target = IN_MEMORY_AUTHORITY;
  private readonly watchers = new StateWatchers(ConnectivityState.READY);
  private readonly config: InMemoryCallConfig;

  constructor(server: Server, options: InMemoryChannelOptions) {
    const accept = options.acceptCompression ?? SUPPORTED_COMPRESSION;
    const watchers = this.watchers;
    this.config = {
      server: serverInternals(server),
      userAgent: options.userAgent !== undefined ? `${options.userAgent} ${USER_AGENT}` : USER_AGENT,
      acceptEncoding: acceptEncodingHeader(accept.includes("identity") ? accept : ["identity", ...accept]),
      compression: options.compression ?? "identity",
      maxReceiveMessageSize: options.maxReceiveMessageSize ?? DEFAULT_MAX_RECEIVE_MESSAGE_SIZE,
      maxSendMessageSize: Math.min(options.maxSendMessageSize ?? MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE),
      closed: () => watchers.state === ConnectivityState.SHUTDOWN,
    };
  }

  getState(): ConnectivityState {
    return this.watchers.state;
  }

  watchState(current: ConnectivityState, deadline?: Date | number): Promise<boolean> {
    return this.watchers.watch(current, deadline);
  }

  states(): AsyncIterable<ConnectivityState> {
    return this.watchers.changes();
  }

  waitForReady(deadline?: Date | number): Promise<void> {
    return this.watchers.ready(deadline, noop);
  }

  unary<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): Promise<O> {
    const call = new InMemoryClientCall(this.config, method, options, false);
    call.sendOne(request);
    return call.response!;
  }

  serverStream<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): AsyncIterable<O> {
    const call = new InMemoryClientCall(this.config, method, options, true);
    call.sendOne(request);
    return call.responses!;
  }

  clientStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): Promise<O> {
    const call = new InMemoryClientCall(this.config, method, options, false);
    call.sendAll(requests);
    return call.response!;
  }

  bidiStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): AsyncIterable<O> {
    const call = new InMemoryClientCall(this.config, method, options, true);
    call.sendAll(requests);
    return call.responses!;
  }

  /** SHUTDOWN: new calls fail with UNAVAILABLE; calls in flight complete. */
  close(): void {
    this.watchers.set(ConnectivityState.SHUTDOWN);
  }
}

function noop(): void {}
