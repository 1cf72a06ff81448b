// What a handler sees of its call (DESIGN.md "ServerContext").
import type { Compression } from "../grpc/compression.js";
import type { Metadata, MetadataInit } from "../grpc/metadata.js";
import type { MethodDefinition } from "../grpc/service.js";

export interface ServerContext {
  /** The method being called. */
  readonly method: MethodDefinition<unknown, unknown>;
  /**
   * Request metadata (custom headers; reserved ones are not included). Read it
   * with `get`/`getAll`: `ctx.metadata.get("x-id")` is `string | undefined`,
   * `ctx.metadata.get("x-trace-bin")` is `Uint8Array | undefined`.
   */
  readonly metadata: Metadata;
  /**
   * The client's deadline as a `Date.now()` timestamp in ms, or undefined when
   * it set none. Pass the context as `CallOptions.parent` to propagate it.
   */
  readonly deadline: number | undefined;
  /**
   * Aborts when the call ends: client cancellation, deadline, disconnect,
   * server shutdown — and also once the response is complete, so work tied to
   * the call can stop. `signal.reason` is a GrpcError saying why.
   */
  readonly signal: AbortSignal;
  /** The client's address, e.g. `127.0.0.1:53422`, `[::1]:53422` or `unix:`. */
  readonly peer: string;
  /** How the connection is secured and, under mutual TLS, who the client is: what an auth interceptor checks. */
  readonly auth: AuthContext;
  /** Sends the response headers now, with this metadata. Throws if they were sent already. */
  sendHeader(metadata: MetadataInit): void;
  /** Adds metadata to the trailers (sent with the status). */
  setTrailer(metadata: MetadataInit): void;
  /**
   * Compresses responses with this encoding if the client accepts it (else
   * identity). Must precede the response headers.
   */
  setCompression(encoding: Compression): void;
}

/** The transport's security, as gRPC's AuthContext reports it. */
export interface AuthContext {
  /** `tls` for TLS connections, `insecure` for plaintext HTTP/2, `in-memory` for the in-memory channel. */
  readonly transportSecurity: "insecure" | "tls" | "in-memory";
  /** The client's certificate, when it presented one that the server verified (mutual TLS). */
  readonly peerCertificate: PeerCertificate | undefined;
}

export interface PeerCertificate {
  /** The subject's distinguished name, e.g. `CN=client,O=Example`. */
  readonly subject: string;
  /** The issuer's distinguished name. */
  readonly issuer: string;
  /** Subject alternative names as `DNS:name`, `IP Address:addr`, `URI:uri` (SPIFFE ids are URIs). */
  readonly subjectAltNames: readonly string[];
  /** SHA-256 of the DER certificate, as colon-separated upper-case hex. */
  readonly fingerprint256: string;
  /** The DER-encoded certificate. */
  readonly raw: Uint8Array;
}
