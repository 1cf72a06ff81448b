// Proxy URLs as curl, Go and grpc-js accept them: `http://[user[:password]@]host[:port]`,
// or `host:port` without a scheme (taken as http://). The port defaults to 80,
// http's (not gRPC's 443). Userinfo becomes a Basic Proxy-Authorization
// (RFC 7617); it never appears in error messages.
import { Buffer } from "node:buffer";

/** Where to send CONNECT requests, and how to authenticate to it. */
export interface ProxyEndpoint {
  /** Host to dial: a name or an IP address, without brackets. */
  readonly host: string;
  readonly port: number;
  /** `host:port` (IPv6 in brackets), for messages: never carries credentials. */
  readonly address: string;
  /** Value of the `Proxy-Authorization` header, when the URL has userinfo. */
  readonly authorization: string | undefined;
}

const HTTP_DEFAULT_PORT = 80;
const HAS_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** Parses a proxy URL; a TypeError (without the password) says what is wrong. */
export function parseProxyUrl(text: string): ProxyEndpoint {
  const withScheme = HAS_SCHEME.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw invalid(text, "is not a URL");
  }
  if (url.protocol !== "http:") throw invalid(text, `uses ${url.protocol}// (only http:// proxies are supported)`);
  if (url.hostname === "") throw invalid(text, "has no host");
  if ((url.pathname !== "/" && url.pathname !== "") || url.search !== "" || url.hash !== "") {
    throw invalid(text, "has a path, query or fragment (a proxy URL is http://[user:password@]host[:port])");
  }
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const port = url.port === "" ? HTTP_DEFAULT_PORT : Number(url.port);
  return {
    host,
    port,
    address: `${url.hostname}:${port}`,
    authorization: url.username === "" && url.password === "" ? undefined : basic(text, url),
  };
}

function basic(text: string, url: URL): string {
  let credentials: string;
  try {
    credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
  } catch {
    throw invalid(text, "has malformed percent-encoding in its user or password");
  }
  return `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;
}

/** The URL with any password masked, safe to put in messages. */
export function redactProxyUrl(text: string): string {
  return text.replace(/^((?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^:@/]*:)[^@/]*@/, "$1***@");
}

function invalid(text: string, why: string): TypeError {
  return new TypeError(`invalid proxy URL ${JSON.stringify(redactProxyUrl(text))}: ${why}`);
}
