// Which proxy, if any, a channel dials: decided once, when the channel is
// created, from the `proxy` channel option or else the environment as
// grpc-js reads it. The first variable that is set and not empty wins:
//   proxy:    grpc_proxy, https_proxy, HTTPS_PROXY, http_proxy
//   no proxy: no_grpc_proxy, no_proxy, NO_PROXY
// Upper-case HTTP_PROXY is not read: CGI servers put a request's `Proxy:`
// header there ("httpoxy"), as curl also reasons.
import process from "node:process";
import { type NoProxyList, parseNoProxy } from "./no-proxy.js";
import { parseProxyUrl, type ProxyEndpoint, redactProxyUrl } from "./proxy-url.js";

/**
 * The `proxy` channel option: `false` never uses a proxy (grpc-js's
 * `grpc.enable_http_proxy: 0`), a URL string always uses that proxy
 * (no_proxy does not apply), `undefined` reads the environment.
 */
export type ProxyOption = string | false | undefined;

/** A TCP destination; unix-socket targets never use a proxy. */
export interface ProxyDestination {
  readonly host: string;
  readonly port: number;
}

export type Environment = Readonly<Record<string, string | undefined>>;

const PROXY_VARIABLES = ["grpc_proxy", "https_proxy", "HTTPS_PROXY", "http_proxy"] as const;
const NO_PROXY_VARIABLES = ["no_grpc_proxy", "no_proxy", "NO_PROXY"] as const;

/**
 * The proxy for connections to `destination`, or `undefined` to dial it
 * directly. A bad `option` is a TypeError; a bad environment value is
 * ignored with a warning (see environmentProxy).
 */
export function selectProxy(
  destination: ProxyDestination | undefined,
  option: ProxyOption,
  env: Environment = process.env,
): ProxyEndpoint | undefined {
  if (option === false) return undefined;
  if (typeof option === "string") {
    const endpoint = parseProxyUrl(option);
    return destination === undefined ? undefined : endpoint;
  }
  if (option !== undefined) {
    throw new TypeError(`invalid proxy option ${String(option)}: expected a proxy URL string, false, or undefined`);
  }
  if (destination === undefined) return undefined;
  const endpoint = environmentProxy(env);
  if (endpoint === undefined) return undefined;
  return environmentNoProxy(env).matches(destination.host, destination.port) ? undefined : endpoint;
}

/**
 * The proxy the environment names. A value that does not parse is ignored
 * (no proxy) with a warning, once per value, rather than thrown: the
 * environment is shared with every other tool of the process (curl, npm,
 * package managers set these), it is not something the code creating the
 * channel chose, and throwing would break every channel of the process,
 * including ones that would have bypassed the proxy. grpc-js also logs and
 * goes on without a proxy.
 */
function environmentProxy(env: Environment): ProxyEndpoint | undefined {
  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    try {
      return parseProxyUrl(value);
    } catch (e) {
      warnOnce(`${name}=${redactProxyUrl(value)}`, `ignoring ${name}: ${(e as Error).message}; channels connect without a proxy`);
      return undefined;
    }
  }
  return undefined;
}

function environmentNoProxy(env: Environment): NoProxyList {
  for (const name of NO_PROXY_VARIABLES) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    const list = parseNoProxy(value);
    if (list.invalid.length > 0) {
      warnOnce(`${name}=${value}`, `${name}: ignoring entries that are not a host, IP address or range: ${list.invalid.join(", ")}`);
    }
    return list;
  }
  return parseNoProxy("");
}

const warned = new Set<string>();

function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  process.emitWarning(message, { code: "TSGRPC_PROXY_ENV" });
}
