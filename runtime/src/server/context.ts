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
