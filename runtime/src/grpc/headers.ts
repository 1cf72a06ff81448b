// Header names and values gRPC defines (PROTOCOL-HTTP2.md), and which of them
// applications may not set or see as custom metadata.

export const CONTENT_TYPE_GRPC = "application/grpc";
export const HEADER_CONTENT_TYPE = "content-type";
export const HEADER_TE = "te";
export const HEADER_USER_AGENT = "user-agent";
export const HEADER_TIMEOUT = "grpc-timeout";
export const HEADER_ENCODING = "grpc-encoding";
export const HEADER_ACCEPT_ENCODING = "grpc-accept-encoding";
export const HEADER_STATUS = "grpc-status";
export const HEADER_MESSAGE = "grpc-message";
export const HEADER_STATUS_DETAILS = "grpc-status-details-bin";

/** `grpc-*` names applications may still use (tracing binary headers that predate the reservation). */
const ALLOWED_GRPC_KEYS: ReadonlySet<string> = new Set(["grpc-trace-bin", "grpc-tags-bin"]);

/**
 * Headers that belong to HTTP/2 or to the gRPC runtime rather than the
 * application. HTTP/2 forbids connection-specific headers (RFC 9113 §8.2.2),
 * node:http2 throws on them, and the runtime owns the rest.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "host",
  "content-type",
  "content-length",
]);

/** A header's value as one string (the first, if node:http2 gave a list). */
export function headerValue(headers: Readonly<Record<string, string | string[] | undefined>>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** True for keys that never travel as custom metadata, in either direction. */
export function isReservedHeader(key: string): boolean {
  if (key.charCodeAt(0) === 0x3a /* ':' pseudo-header */) return true;
  if (key.startsWith("grpc-")) return !ALLOWED_GRPC_KEYS.has(key);
  return RESERVED_KEYS.has(key);
}

/**
 * Content types a server accepts: `application/grpc`, `application/grpc+proto`,
 * either with parameters. Other subtypes (`+json`, …) name codecs we do not have.
 */
export function isGrpcContentType(value: string | undefined): boolean {
  if (value === undefined || !value.startsWith(CONTENT_TYPE_GRPC)) return false;
  const rest = value.slice(CONTENT_TYPE_GRPC.length);
  return rest === "" || rest.startsWith(";") || rest === "+proto" || rest.startsWith("+proto;");
}
