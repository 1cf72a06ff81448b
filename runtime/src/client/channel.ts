// A channel: a target, its connection, and the four call kinds on top of the
// one call engine (ClientCall). Generated clients and createClient call these.
import type * as tls from "node:tls";
import { acceptEncodingHeader, type Compression, SUPPORTED_COMPRESSION } from "../grpc/compression.js";
import type { MethodDefinition } from "../grpc/service.js";
import { flowControlWindow } from "../grpc/flow-control.js";
import { USER_AGENT } from "../grpc/version.js";
import type { PartialMessage } from "../message/types.js";
import { parseServiceConfig, type ServiceConfig, type ServiceConfigJson } from "../grpc/service-config.js";
import { type CallConfig, ClientCall, type RequestStream } from "./call.js";
import type { CallOptions } from "./call-options.js";
import { intercept } from "./interceptors/intercept.js";
import type { ClientInterceptor } from "./interceptors/interceptor.js";
import { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.js";
import { BalancingTransport } from "./balancing-transport.js";
import { systemClock } from "./clock.js";
import { ConnectivityState } from "./connectivity.js";
import { type ProxyOption, selectProxy } from "./proxy/index.js";
import { isIpLiteral, parseHostPort } from "./resolver/host-port.js";
import type { Resolver, ResolverListener } from "./resolver/resolver.js";
import { parseTarget, type ResolvableTarget } from "./resolver/target.js";
import { hasBalancer } from "./balancer/registry.js";
import { ChannelKeepalive, DEFAULT_KEEPALIVE_TIMEOUT_MS, type KeepaliveOptions } from "./keepalive.js";

export interface ChannelOptions {
  /** TLS: `true` for the system's trust store, or node:tls connection options (ca, cert, key, servername…). */
  readonly tls?: boolean | tls.ConnectionOptions;
  /** `:authority` header; defaults to the target's host:port. */
  readonly authority?: string;
  /** Largest response message accepted, in bytes (after decompression). Default 4 MiB. */
  readonly maxReceiveMessageSize?: number;
  /** Largest request message sent, in bytes (serialized). Default unlimited. */
  readonly maxSendMessageSize?: number;
  /** Request compression for calls that do not choose their own. Default identity. */
  readonly compression?: Compression;
  /** Encodings we accept for responses (`grpc-accept-encoding`). Default: identity, deflate, gzip. */
  readonly acceptCompression?: readonly Compression[];
  /** SETTINGS_MAX_HEADER_LIST_SIZE: bound on response headers and trailers. Default 8 KiB (the spec's suggestion). */
  readonly maxHeaderListSize?: number;
  /**
   * HTTP/2 receive window, per stream and per connection, in bytes: how much
   * a server may send before we acknowledge it. Default 1 MiB (node's own is
   * 64 KiB, which caps a streaming call at one window per round trip).
   */
  readonly flowControlWindow?: number;
  /** Prepended to the `user-agent` header. */
  readonly userAgent?: string;
  /** Default for CallOptions.waitForReady. Default false. */
  readonly waitForReady?: boolean;
  /**
   * HTTP CONNECT proxy: a URL (`http://[user:password@]host[:port]`) to always
   * use, `false` to never use one, or unset to follow `grpc_proxy`,
   * `https_proxy`, `http_proxy` and `no_proxy` as grpc-js does. Unix-socket
   * targets never use a proxy.
   */
  readonly proxy?: ProxyOption;
  /**
   * Interval between keepalive PINGs on a connection with calls, in ms (gRFC A8,
   * `grpc.keepalive_time_ms`). Default `Infinity`: no PINGs. Doubled for the
   * channel each time a server answers GOAWAY `too_many_pings`.
   */
  readonly keepaliveTime?: number;
  /** How long a keepalive PING may go unanswered before the connection is closed, in ms (`grpc.keepalive_timeout_ms`). Default 20 s. */
  readonly keepaliveTimeout?: number;
  /** Send keepalive PINGs also while the connection carries no calls (`grpc.keepalive_permit_without_calls`). Default false. */
  readonly keepalivePermitWithoutCalls?: boolean;
  /**
   * Shortest time a connection attempt waits for the server's HTTP/2 SETTINGS,
   * in ms (connection-backoff.md's MIN_CONNECT_TIMEOUT, grpc-go's
   * `MinConnectTimeout`); an attempt waits max(this, current backoff). Default 20 s.
   */
  readonly minConnectTimeout?: number;
  /** Delay before the second connection attempt to an address, in ms (connection-backoff.md's INITIAL_BACKOFF, `grpc.initial_reconnect_backoff_ms`). Default 1 s. */
  readonly initialReconnectBackoff?: number;
  /** Longest delay between connection attempts, in ms (MAX_BACKOFF, `grpc.max_reconnect_backoff_ms`). Default 120 s. */
  readonly maxReconnectBackoff?: number;
  /** Growth of the delay per failed attempt (MULTIPLIER). Default 1.6. */
  readonly reconnectBackoffMultiplier?: number;
  /** Random spread of each delay, ± this fraction (JITTER). Default 0.2. */
  readonly reconnectBackoffJitter?: number;
  /**
   * gRPC service config (doc/service_config.md), as JSON text or parsed JSON:
   * the default, used while the resolver provides none. This version applies
   * `loadBalancingConfig` (`[{"round_robin":{}}]`; `pick_first` when unset)
   * and the older `loadBalancingPolicy`.
   */
  readonly serviceConfig?: string | ServiceConfigJson;
  /** Ignore service configs sent by the resolver (grpc-go's `WithDisableServiceConfig`). Default false. */
  readonly disableServiceConfigLookup?: boolean;
  /**
   * With no calls for this long (in ms), the channel goes IDLE: it closes its
   * connections and stops resolving; the next call starts again
   * (`grpc.client_idle_timeout_ms`). Checked once per period, so idleness
   * begins between one and two periods after the last call. Default 30 min;
   * `Infinity` never.
   */
  readonly idleTimeout?: number;
  /** Run around every call of the channel, first = outermost (see ClientInterceptor; `intercept()` adds more to a channel). */
  readonly interceptors?: readonly ClientInterceptor[];
}

export interface Channel {
  readonly target: string;
  /**
   * The connectivity state (doc/connectivity-semantics-and-api.md).
   * `tryToConnect` makes an IDLE channel start resolving and connecting.
   */
  getState(tryToConnect?: boolean): ConnectivityState;
  /** Resolves true once the state is other than `current`, false when the deadline (a Date or `Date.now()` ms) passes first. */
  watchState(current: ConnectivityState, deadline?: Date | number): Promise<boolean>;
  /** The current state, then each change; ends after SHUTDOWN. */
  states(): AsyncIterable<ConnectivityState>;
  /**
   * Connects if IDLE and resolves once READY; rejects with DEADLINE_EXCEEDED
   * when the deadline passes first and UNAVAILABLE when the channel is closed.
   */
  waitForReady(deadline?: Date | number): Promise<void>;
  unary<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): Promise<O>;
  serverStream<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): AsyncIterable<O>;
  clientStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): Promise<O>;
  bidiStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): AsyncIterable<O>;
  /** SHUTDOWN: new calls fail with UNAVAILABLE; calls in flight complete, then the connections close. */
  close(): void;
}

export const DEFAULT_MAX_RECEIVE_MESSAGE_SIZE = 4 * 1024 * 1024;
export const DEFAULT_MAX_HEADER_LIST_SIZE = 8 * 1024;
/** connection-backoff.md's MIN_CONNECT_TIMEOUT. */
export const DEFAULT_MIN_CONNECT_TIMEOUT_MS = 20_000;
/** grpc-go's and grpc-js's default idle timeout: 30 minutes. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30 * 60_000;
/** The length prefix has 32 bits. */
const MAX_MESSAGE_SIZE = 2 ** 32 - 1;

/**
 * The channel dials resolved IP addresses: the server's certificate is checked
 * against the host of the authority (the target's host name), not the address.
 */
function tlsOptions(option: ChannelOptions["tls"], authority: string): tls.ConnectionOptions | undefined {
  if (option === undefined || option === false) return undefined;
  const given = option === true ? {} : option;
  if (given.servername !== undefined) return given;
  const host = authority.startsWith("[") ? authority.slice(1, authority.indexOf("]")) : authority.replace(/:\d*$/, "");
  return isIpLiteral(host) || host === "" ? given : { ...given, servername: host };
}

/**
 * The host:port a proxy would be asked to CONNECT to: the endpoint of a dns
 * target, or the single address of an ipv4/ipv6 one. Other targets (unix,
 * several addresses, registered schemes) never go through a proxy.
 */
function proxyDestination(parsed: ResolvableTarget): { host: string; port: number } | undefined {
  if (parsed.scheme !== "dns" && parsed.scheme !== "ipv4" && parsed.scheme !== "ipv6") return undefined;
  if (parsed.scheme !== "dns" && parsed.endpoint.includes(",")) return undefined;
  const hostPort = parseHostPort(parsed.endpoint, parsed.scheme);
  return typeof hostPort === "string" ? undefined : hostPort;
}

function positiveMs(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value <= 0) {
    throw new TypeError(`ChannelOptions.${name} must be a positive number of milliseconds (or Infinity), got ${String(value)}`);
  }
  return value;
}

function keepaliveOptions(options: ChannelOptions): KeepaliveOptions | undefined {
  const time = positiveMs(options.keepaliveTime, Infinity, "keepaliveTime");
  const timeout = positiveMs(options.keepaliveTimeout, DEFAULT_KEEPALIVE_TIMEOUT_MS, "keepaliveTimeout");
  if (time === Infinity) return undefined;
  return { time, timeout, permitWithoutCalls: options.keepalivePermitWithoutCalls ?? false };
}

function backoffOptions(options: ChannelOptions): BackoffOptions {
  const initialBackoff = positiveMs(options.initialReconnectBackoff, DEFAULT_BACKOFF.initialBackoff, "initialReconnectBackoff");
  const maxBackoff = positiveMs(options.maxReconnectBackoff, Math.max(DEFAULT_BACKOFF.maxBackoff, initialBackoff), "maxReconnectBackoff");
  if (initialBackoff === Infinity || maxBackoff === Infinity) throw new TypeError("ChannelOptions reconnect backoffs must be finite");
  const multiplier = options.reconnectBackoffMultiplier ?? DEFAULT_BACKOFF.multiplier;
  if (typeof multiplier !== "number" || !(multiplier >= 1) || !Number.isFinite(multiplier)) {
    throw new TypeError(`ChannelOptions.reconnectBackoffMultiplier must be a number of at least 1, got ${String(multiplier)}`);
  }
  const jitter = options.reconnectBackoffJitter ?? DEFAULT_BACKOFF.jitter;
  if (typeof jitter !== "number" || !(jitter >= 0 && jitter < 1)) {
    throw new TypeError(`ChannelOptions.reconnectBackoffJitter must be in [0, 1), got ${String(jitter)}`);
  }
  if (maxBackoff < initialBackoff) {
    throw new TypeError(`ChannelOptions.maxReconnectBackoff (${maxBackoff}) is below initialReconnectBackoff (${initialBackoff})`);
  }
  const minConnectTimeout = positiveMs(options.minConnectTimeout, DEFAULT_MIN_CONNECT_TIMEOUT_MS, "minConnectTimeout");
  return { initialBackoff, maxBackoff, multiplier, jitter, minConnectTimeout };
}

function defaultServiceConfig(option: ChannelOptions["serviceConfig"]): ServiceConfig | undefined {
  if (option === undefined) return undefined;
  try {
    return parseServiceConfig(option);
  } catch (e) {
    throw new TypeError(`ChannelOptions.serviceConfig: ${(e as Error).message}`, { cause: e });
  }
}

export function createChannel(target: string, options: ChannelOptions = {}): Channel {
  const channel = new Http2Channel(target, options);
  const interceptors = options.interceptors;
  // Without interceptors, the channel itself: its call path has no layer to cross.
  return interceptors === undefined || interceptors.length === 0 ? channel : intercept(channel, ...interceptors);
}

class Http2Channel implements Channel {
  private readonly transport: BalancingTransport;
  private readonly config: CallConfig;

  constructor(
    readonly target: string,
    options: ChannelOptions,
  ) {
    const parsed = parseTarget(target);
    const authority = options.authority ?? parsed.defaultAuthority;
    const secure = tlsOptions(options.tls, authority);
    const destination = proxyDestination(parsed);
    const proxy = selectProxy(destination, options.proxy);
    const serviceConfig = defaultServiceConfig(options.serviceConfig);
    const selectedBalancer = serviceConfig?.loadBalancingConfig.find((c) => hasBalancer(c.name));
    if (serviceConfig !== undefined && serviceConfig.loadBalancingConfig.length > 0 && selectedBalancer === undefined) {
      const names = serviceConfig.loadBalancingConfig.map((c) => c.name).join(", ");
      throw new TypeError(`ChannelOptions.serviceConfig: loadBalancingConfig names no registered policy (${names})`);
    }
    const { target: text, scheme, authority: resolverAuthority, endpoint } = parsed;
    // Through a proxy the name is the proxy's to resolve (CONNECT host:port), as in grpc-js: the local resolver is not asked.
    const resolve =
      proxy !== undefined && destination !== undefined
        ? (listener: ResolverListener): Resolver => {
            listener.onUpdate({ addresses: [{ kind: "tcp", host: destination.host, port: destination.port }] });
            return { resolveNow() {}, close() {} };
          }
        : (listener: ResolverListener): Resolver => parsed.handler.factory({ target: text, scheme, authority: resolverAuthority, endpoint }, listener);
    const idleTimeout = positiveMs(options.idleTimeout, DEFAULT_IDLE_TIMEOUT_MS, "idleTimeout");
    this.transport = new BalancingTransport({
      resolve,
      resolverName: `the ${scheme} resolver for ${JSON.stringify(text)}`,
      dial: {
        tls: secure,
        maxHeaderListSize: options.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE,
        flowControlWindow: flowControlWindow(options.flowControlWindow),
        proxy,
      },
      backoff: backoffOptions(options),
      keepalive: new ChannelKeepalive(keepaliveOptions(options)),
      clock: systemClock,
      idleTimeout,
      defaultServiceConfig: serviceConfig,
      disableServiceConfigLookup: options.disableServiceConfigLookup ?? false,
    });
    const accept = options.acceptCompression ?? SUPPORTED_COMPRESSION;
    this.config = {
      scheme: secure !== undefined ? "https" : "http",
      authority,
      userAgent: options.userAgent !== undefined ? `${options.userAgent} ${USER_AGENT}` : USER_AGENT,
      acceptEncoding: acceptEncodingHeader(accept.includes("identity") ? accept : ["identity", ...accept]),
      compression: options.compression ?? "identity",
      maxReceiveMessageSize: options.maxReceiveMessageSize ?? DEFAULT_MAX_RECEIVE_MESSAGE_SIZE,
      maxSendMessageSize: Math.min(options.maxSendMessageSize ?? MAX_MESSAGE_SIZE, MAX_MESSAGE_SIZE),
      waitForReady: options.waitForReady ?? false,
      plainHeaders: new Map(),
    };
  }

  getState(tryToConnect = false): ConnectivityState {
    const state = this.transport.state;
    if (tryToConnect && state === ConnectivityState.IDLE) this.transport.exitIdle();
    return state;
  }

  watchState(current: ConnectivityState, deadline?: Date | number): Promise<boolean> {
    return this.transport.stateWatchers.watch(current, deadline);
  }

  states(): AsyncIterable<ConnectivityState> {
    return this.transport.stateWatchers.changes();
  }

  waitForReady(deadline?: Date | number): Promise<void> {
    return this.transport.stateWatchers.ready(deadline, () => this.transport.exitIdle());
  }

  unary<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): Promise<O> {
    const call = new ClientCall(this.transport, this.config, method, options, false);
    call.sendOne(request);
    return call.response!;
  }

  serverStream<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): AsyncIterable<O> {
    const call = new ClientCall(this.transport, this.config, method, options, true);
    call.sendOne(request);
    return call.responses!;
  }

  clientStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): Promise<O> {
    const call = new ClientCall(this.transport, this.config, method, options, false);
    call.sendAll(requests);
    return call.response!;
  }

  bidiStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): AsyncIterable<O> {
    const call = new ClientCall(this.transport, this.config, method, options, true);
    call.sendAll(requests);
    return call.responses!;
  }

  close(): void {
    this.transport.close();
  }
}
