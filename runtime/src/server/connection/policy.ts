// Keepalive enforcement and connection lifetimes, resolved from ServerOptions
// once per server. Defaults and bounds are gRPC's (gRFC A8, A9; grpc-go's
// keepalive.ServerParameters and EnforcementPolicy).

export interface ConnectionOptions {
  /**
   * Interval of the server's keepalive PINGs on each connection, in ms; a
   * PING unanswered for `keepaliveTimeout` closes the connection. Default 2 h;
   * values below 1 s are raised to 1 s (as grpc-go does). Infinity: no PINGs.
   */
  readonly keepaliveTime?: number;
  /** How long a keepalive PING may go unanswered, in ms. Default 20 s. */
  readonly keepaliveTimeout?: number;
  /**
   * Enforcement (gRFC A8): client PINGs closer together than this (ms) are
   * strikes; the third strike gets GOAWAY ENHANCE_YOUR_CALM `too_many_pings`
   * and the connection closes. Sending headers or data clears the strikes.
   * Default 5 min (gRPC's `grpc.http2.min_ping_interval_without_data_ms`).
   */
  readonly keepaliveMinTime?: number;
  /**
   * Whether clients may ping while they have no calls. When false (the
   * default), such PINGs closer together than 2 h are strikes.
   */
  readonly keepalivePermitWithoutCalls?: boolean;
  /** A connection without calls for this long (ms) gets GOAWAY and closes (gRFC A9). Default Infinity. */
  readonly maxConnectionIdle?: number;
  /**
   * A connection this old (ms, ±10% jitter) gets GOAWAY: its calls finish,
   * new calls go to a new connection (gRFC A9). Default Infinity.
   */
  readonly maxConnectionAge?: number;
  /** After the age GOAWAY, calls still running this long (ms) are cancelled and the connection closes. Default Infinity. */
  readonly maxConnectionAgeGrace?: number;
}

export interface ConnectionPolicy {
  /** Interval of the server's keepalive PINGs; Infinity: none. */
  readonly keepaliveTime: number;
  /** How long a keepalive PING may go unanswered before the connection is closed. */
  readonly keepaliveTimeout: number;
  /** Shortest interval between client PINGs that is not a strike. */
  readonly keepaliveMinTime: number;
  readonly keepalivePermitWithoutCalls: boolean;
  readonly maxConnectionIdle: number;
  readonly maxConnectionAge: number;
  readonly maxConnectionAgeGrace: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** grpc-go raises a server keepaliveTime below one second to one second. */
export const MIN_KEEPALIVE_TIME = 1_000;
/** Pings sent while there are no calls, when those are not permitted, must be at least this far apart (grpc-go, C-core). */
export const NO_CALLS_MIN_PING_INTERVAL = 2 * HOUR;
/** Strikes tolerated; the next one sends GOAWAY ENHANCE_YOUR_CALM (grpc-go maxPingStrikes, C-core max_ping_strikes). */
export const MAX_PING_STRIKES = 2;
/** maxConnectionAge is spread by ±10% so that connections made together do not all close together (A9). */
export const AGE_JITTER = 0.1;

export function resolveConnectionPolicy(options: ConnectionOptions): ConnectionPolicy {
  const keepaliveTime = duration(options, "keepaliveTime", 2 * HOUR);
  return {
    keepaliveTime: Math.max(keepaliveTime, MIN_KEEPALIVE_TIME),
    keepaliveTimeout: duration(options, "keepaliveTimeout", 20_000),
    keepaliveMinTime: duration(options, "keepaliveMinTime", 5 * MINUTE, 0),
    keepalivePermitWithoutCalls: flag(options, "keepalivePermitWithoutCalls", false),
    maxConnectionIdle: duration(options, "maxConnectionIdle", Infinity),
    maxConnectionAge: duration(options, "maxConnectionAge", Infinity),
    maxConnectionAgeGrace: duration(options, "maxConnectionAgeGrace", Infinity, 0),
  };
}

/** maxConnectionAge with its jitter: `random` is in [0, 1). */
export function jitteredAge(age: number, random: number = Math.random()): number {
  return age * (1 + AGE_JITTER * (random * 2 - 1));
}

type DurationKey = Exclude<keyof ConnectionOptions, "keepalivePermitWithoutCalls">;

/** A duration in ms; zero is allowed only where it means something (`min` 0). */
function duration(options: ConnectionOptions, key: DurationKey, fallback: number, min: 0 | 1 = 1): number {
  const value: unknown = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== "number" || Number.isNaN(value) || value < min) {
    const bound = min === 0 ? ">= 0" : "> 0";
    throw new RangeError(`ServerOptions.${key} must be a number of milliseconds ${bound} (Infinity for none), got ${String(value)}`);
  }
  return value;
}

function flag(options: ConnectionOptions, key: "keepalivePermitWithoutCalls", fallback: boolean): boolean {
  const value: unknown = options[key];
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new TypeError(`ServerOptions.${key} must be a boolean, got ${String(value)}`);
  return value;
}
