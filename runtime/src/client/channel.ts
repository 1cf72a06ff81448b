// A channel: a target, its connection, and the four call kinds on top of the
// one call engine (ClientCall). Generated clients and createClient call these.
import type * as tls from "node:tls";
import { acceptEncodingHeader, type Compression, SUPPORTED_COMPRESSION } from "../grpc/compression.js";
import type { MethodDefinition } from "../grpc/service.js";
import { flowControlWindow } from "../grpc/flow-control.js";
import { USER_AGENT } from "../grpc/version.js";
import type { PartialMessage } from "../message/types.js";
import { type CallConfig, ClientCall, type RequestStream } from "./call.js";
import type { CallOptions } from "./call-options.js";
import { type ProxyOption, selectProxy } from "./proxy/index.js";
import { isIpLiteral, parseHostPort } from "./resolver/host-port.js";
import { parseTarget, type ResolvableTarget } from "./resolver/target.js";
import { ResolvingTransport } from "./resolving-transport.js";
import { Transport, type TransportOptions } from "./transport.js";
import { DEFAULT_KEEPALIVE_TIMEOUT_MS, type KeepaliveOptions } from "./keepalive.js";

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
}

export interface Channel {
  readonly target: string;
  unary<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): Promise<O>;
  serverStream<I, O>(method: MethodDefinition<I, O>, request: PartialMessage<I>, options?: CallOptions): AsyncIterable<O>;
  clientStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): Promise<O>;
  bidiStream<I, O>(method: MethodDefinition<I, O>, requests: RequestStream<I>, options?: CallOptions): AsyncIterable<O>;
  /** New calls fail with UNAVAILABLE; calls in flight complete, then the connection closes. */
  close(): void;
}

export const DEFAULT_MAX_RECEIVE_MESSAGE_SIZE = 4 * 1024 * 1024;
export const DEFAULT_MAX_HEADER_LIST_SIZE = 8 * 1024;
/** connection-backoff.md's MIN_CONNECT_TIMEOUT. */
export const DEFAULT_MIN_CONNECT_TIMEOUT_MS = 20_000;
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

export function createChannel(target: string, options: ChannelOptions = {}): Channel {
  return new Http2Channel(target, options);
}

class Http2Channel implements Channel {
  private readonly transport: Transport;
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
    const transportOptions: TransportOptions = {
      tls: secure,
      maxHeaderListSize: options.maxHeaderListSize ?? DEFAULT_MAX_HEADER_LIST_SIZE,
      flowControlWindow: flowControlWindow(options.flowControlWindow),
      minConnectTimeout: positiveMs(options.minConnectTimeout, DEFAULT_MIN_CONNECT_TIMEOUT_MS, "minConnectTimeout"),
      keepalive: keepaliveOptions(options),
      proxy,
    };
    // Through a proxy the name is the proxy's to resolve (CONNECT host:port),
    // as in grpc-js: the local resolver is not asked.
    this.transport =
      proxy !== undefined && destination !== undefined
        ? new Transport({ kind: "tcp", host: destination.host, port: destination.port, authority: parsed.defaultAuthority }, transportOptions)
        : new ResolvingTransport(parsed, transportOptions);
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
