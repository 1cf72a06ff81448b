// gRPC service config (grpc/grpc doc/service_config.md, gRFC A6 for retries
// and hedging): the JSON a channel option or a resolver supplies, validated
// into typed objects. Durations ("1.5s") become milliseconds and status codes
// (names or numbers) become Status values. Invalid configs are a
// ServiceConfigError naming the field path.
import { Status } from "./status.js";

/** The JSON form, as written in the spec. */
export type ServiceConfigJson = { readonly [key: string]: JsonValue };
type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

export interface LoadBalancingConfig {
  /** The policy, e.g. `round_robin`. */
  readonly name: string;
  /** Its configuration object, as given. */
  readonly config: ServiceConfigJson;
}

export interface MethodName {
  /** Empty with no method: the default for every method. */
  readonly service: string;
  /** Absent: every method of the service. */
  readonly method?: string;
}

export interface RetryPolicy {
  /** 2..5 (larger values are capped at 5, as A6 says). */
  readonly maxAttempts: number;
  readonly initialBackoff: number;
  readonly maxBackoff: number;
  readonly backoffMultiplier: number;
  readonly retryableStatusCodes: readonly Status[];
}

export interface HedgingPolicy {
  /** 2..5 (capped at 5). */
  readonly maxAttempts: number;
  /** ms; default 0 (all attempts at once). */
  readonly hedgingDelay: number;
  readonly nonFatalStatusCodes: readonly Status[];
}

export interface MethodConfig {
  readonly names: readonly MethodName[];
  /** ms. */
  readonly timeout?: number;
  readonly waitForReady?: boolean;
  readonly maxRequestMessageBytes?: number;
  readonly maxResponseMessageBytes?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly hedgingPolicy?: HedgingPolicy;
}

export interface RetryThrottling {
  /** (0, 1000]. */
  readonly maxTokens: number;
  /** > 0, at most three decimal places are used. */
  readonly tokenRatio: number;
}

export interface ServiceConfig {
  /** In order of preference; the channel uses the first policy it supports. */
  readonly loadBalancingConfig: readonly LoadBalancingConfig[];
  readonly methodConfig: readonly MethodConfig[];
  readonly retryThrottling?: RetryThrottling;
  /** Method configs by `service/method`, `service/` and `` (the default): see findMethodConfig. */
  readonly methods: ReadonlyMap<string, MethodConfig>;
}

export class ServiceConfigError extends TypeError {
  override name = "ServiceConfigError";
  constructor(
    /** Where, e.g. `methodConfig[0].retryPolicy.maxAttempts`. */
    readonly path: string,
    why: string,
  ) {
    super(`invalid service config: ${path === "" ? "" : `${path}: `}${why}`);
  }
}

const MAX_ATTEMPTS_CAP = 5;

/** Validates service-config JSON (text or parsed); throws ServiceConfigError. */
export function parseServiceConfig(json: string | ServiceConfigJson): ServiceConfig {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json);
    } catch (e) {
      throw new ServiceConfigError("", `not JSON (${(e as Error).message})`);
    }
  }
  const root = object(value, "");
  let loadBalancingConfig = optionalArray(root, "loadBalancingConfig", "").map((entry, i) => lbConfig(entry, `loadBalancingConfig[${i}]`));
  const policy = root["loadBalancingPolicy"];
  if (policy !== undefined) {
    // The deprecated form: a policy name in snake case ("ROUND_ROBIN" is accepted, as grpc-go does); loadBalancingConfig wins.
    if (typeof policy !== "string" || policy === "") throw new ServiceConfigError("loadBalancingPolicy", "must be a policy name");
    if (loadBalancingConfig.length === 0) loadBalancingConfig = [{ name: policy.toLowerCase(), config: {} }];
  }
  const methodConfig = optionalArray(root, "methodConfig", "").map((entry, i) => method(entry, `methodConfig[${i}]`));
  const methods = new Map<string, MethodConfig>();
  methodConfig.forEach((config, i) => {
    config.names.forEach((n, j) => {
      const key = methodKey(n.service, n.method);
      if (methods.has(key)) throw new ServiceConfigError(`methodConfig[${i}].name[${j}]`, `duplicate name ${JSON.stringify(n)}`);
      methods.set(key, config);
    });
  });
  const throttling = root["retryThrottling"];
  return {
    loadBalancingConfig,
    methodConfig,
    ...(throttling !== undefined && { retryThrottling: retryThrottling(throttling, "retryThrottling") }),
    methods,
  };
}

/** The method config of `/package.Service/Method`: exact method, else the service's, else the default. */
export function findMethodConfig(config: ServiceConfig, path: string): MethodConfig | undefined {
  const slash = path.indexOf("/", 1);
  const service = path.slice(1, slash);
  const method = path.slice(slash + 1);
  return config.methods.get(methodKey(service, method)) ?? config.methods.get(methodKey(service, undefined)) ?? config.methods.get("");
}

/** The first entry of loadBalancingConfig whose policy `supported` accepts; undefined when there is no list. */
export function selectLoadBalancingConfig(config: ServiceConfig, supported: (name: string) => boolean): LoadBalancingConfig | undefined {
  if (config.loadBalancingConfig.length === 0) return undefined;
  const chosen = config.loadBalancingConfig.find((c) => supported(c.name));
  if (chosen === undefined) {
    const names = config.loadBalancingConfig.map((c) => c.name).join(", ");
    throw new ServiceConfigError("loadBalancingConfig", `no supported policy among ${names}`);
  }
  return chosen;
}

function methodKey(service: string, method: string | undefined): string {
  return service === "" ? "" : `${service}/${method ?? ""}`;
}

function lbConfig(value: unknown, path: string): LoadBalancingConfig {
  const entry = object(value, path);
  const keys = Object.keys(entry);
  if (keys.length !== 1) throw new ServiceConfigError(path, `needs exactly one policy name as its key, has ${keys.length}`);
  const name = keys[0]!;
  return { name, config: object(entry[name], `${path}.${name}`) as ServiceConfigJson };
}

function method(value: unknown, path: string): MethodConfig {
  const m = object(value, path);
  const names = optionalArray(m, "name", path).map((n, i) => methodName(n, `${path}.name[${i}]`));
  const retry = m["retryPolicy"];
  const hedging = m["hedgingPolicy"];
  if (retry !== undefined && hedging !== undefined) throw new ServiceConfigError(path, "retryPolicy and hedgingPolicy cannot both be set");
  const timeout = m["timeout"];
  const waitForReady = m["waitForReady"];
  const maxRequest = m["maxRequestMessageBytes"];
  const maxResponse = m["maxResponseMessageBytes"];
  return {
    names,
    ...(timeout !== undefined && { timeout: duration(timeout, `${path}.timeout`) }),
    ...(waitForReady !== undefined && { waitForReady: boolean(waitForReady, `${path}.waitForReady`) }),
    ...(maxRequest !== undefined && { maxRequestMessageBytes: byteCount(maxRequest, `${path}.maxRequestMessageBytes`) }),
    ...(maxResponse !== undefined && { maxResponseMessageBytes: byteCount(maxResponse, `${path}.maxResponseMessageBytes`) }),
    ...(retry !== undefined && { retryPolicy: retryPolicy(retry, `${path}.retryPolicy`) }),
    ...(hedging !== undefined && { hedgingPolicy: hedgingPolicy(hedging, `${path}.hedgingPolicy`) }),
  };
}

function methodName(value: unknown, path: string): MethodName {
  const n = object(value, path);
  const service = n["service"] === undefined ? "" : string(n["service"], `${path}.service`);
  const method = n["method"] === undefined ? undefined : string(n["method"], `${path}.method`);
  if (method !== undefined && method !== "" && service === "") throw new ServiceConfigError(path, "a method needs its service");
  return method === undefined || method === "" ? { service } : { service, method };
}

function retryPolicy(value: unknown, path: string): RetryPolicy {
  const p = object(value, path);
  const initialBackoff = duration(required(p, "initialBackoff", path), `${path}.initialBackoff`);
  const maxBackoff = duration(required(p, "maxBackoff", path), `${path}.maxBackoff`);
  if (initialBackoff <= 0) throw new ServiceConfigError(`${path}.initialBackoff`, "must be greater than 0");
  if (maxBackoff <= 0) throw new ServiceConfigError(`${path}.maxBackoff`, "must be greater than 0");
  const backoffMultiplier = number(required(p, "backoffMultiplier", path), `${path}.backoffMultiplier`);
  if (!(backoffMultiplier > 0)) throw new ServiceConfigError(`${path}.backoffMultiplier`, "must be greater than 0");
  const codes = array(required(p, "retryableStatusCodes", path), `${path}.retryableStatusCodes`);
  if (codes.length === 0) throw new ServiceConfigError(`${path}.retryableStatusCodes`, "must list at least one status code");
  return {
    maxAttempts: maxAttempts(required(p, "maxAttempts", path), `${path}.maxAttempts`),
    initialBackoff,
    maxBackoff,
    backoffMultiplier,
    retryableStatusCodes: codes.map((c, i) => statusCode(c, `${path}.retryableStatusCodes[${i}]`)),
  };
}

function hedgingPolicy(value: unknown, path: string): HedgingPolicy {
  const p = object(value, path);
  const delay = p["hedgingDelay"];
  return {
    maxAttempts: maxAttempts(required(p, "maxAttempts", path), `${path}.maxAttempts`),
    hedgingDelay: delay === undefined ? 0 : duration(delay, `${path}.hedgingDelay`),
    nonFatalStatusCodes: optionalArray(p, "nonFatalStatusCodes", path).map((c, i) => statusCode(c, `${path}.nonFatalStatusCodes[${i}]`)),
  };
}

function retryThrottling(value: unknown, path: string): RetryThrottling {
  const t = object(value, path);
  const maxTokens = number(required(t, "maxTokens", path), `${path}.maxTokens`);
  if (!(maxTokens > 0 && maxTokens <= 1000)) throw new ServiceConfigError(`${path}.maxTokens`, "must be in (0, 1000]");
  const tokenRatio = number(required(t, "tokenRatio", path), `${path}.tokenRatio`);
  if (!(tokenRatio > 0)) throw new ServiceConfigError(`${path}.tokenRatio`, "must be greater than 0");
  // A6: "up to three decimal places"; more are ignored.
  return { maxTokens, tokenRatio: Math.trunc(tokenRatio * 1000) / 1000 };
}

function maxAttempts(value: unknown, path: string): number {
  const n = number(value, path);
  if (!Number.isInteger(n) || n < 2) throw new ServiceConfigError(path, "must be an integer of at least 2");
  return Math.min(n, MAX_ATTEMPTS_CAP);
}

/** proto3 JSON Duration: "1.5s", non-negative, at most 9 fraction digits; in ms. */
function duration(value: unknown, path: string): number {
  const text = string(value, path);
  const m = /^(\d{1,12})(?:\.(\d{1,9}))?s$/.exec(text);
  if (m === null) throw new ServiceConfigError(path, `${JSON.stringify(text)} is not a duration like "1.5s"`);
  const nanos = Number((m[2] ?? "").padEnd(9, "0"));
  return Number(m[1]) * 1000 + nanos / 1e6;
}

function statusCode(value: unknown, path: string): Status {
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 16) return value as Status;
  if (typeof value === "string" && value !== "OK" && Object.hasOwn(Status, value) && typeof Status[value as keyof typeof Status] === "number") {
    return Status[value as keyof typeof Status];
  }
  throw new ServiceConfigError(path, `${JSON.stringify(value)} is not a status code other than OK (a name like "UNAVAILABLE" or 1..16)`);
}

function byteCount(value: unknown, path: string): number {
  // uint64 in proto3 JSON may be a number or a decimal string.
  const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new ServiceConfigError(path, `${JSON.stringify(value)} is not a byte count`);
  return n;
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new ServiceConfigError(path, "must be a JSON object");
  return value as Record<string, unknown>;
}

function array(value: unknown, path: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new ServiceConfigError(path, "must be a JSON array");
  return value;
}

function optionalArray(o: Record<string, unknown>, key: string, path: string): readonly unknown[] {
  const v = o[key];
  return v === undefined ? [] : array(v, join(path, key));
}

function required(o: Record<string, unknown>, key: string, path: string): unknown {
  const v = o[key];
  if (v === undefined) throw new ServiceConfigError(join(path, key), "is required");
  return v;
}

function string(value: unknown, path: string): string {
  if (typeof value !== "string") throw new ServiceConfigError(path, "must be a string");
  return value;
}

function number(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new ServiceConfigError(path, "must be a number");
  return value;
}

function boolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw new ServiceConfigError(path, "must be true or false");
  return value;
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
