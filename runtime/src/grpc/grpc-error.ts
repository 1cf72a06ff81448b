// The one error type of calls: a status code, its message, the trailers, and
// the rich error model's details when the server sent them.
import { Metadata, type MetadataInit, toMetadata } from "./metadata.js";
import { Status, statusName } from "./status.js";
import { decodeRpcStatus, type StatusDetail } from "./status-details.js";

export interface GrpcErrorOptions {
  /** Trailers to send (server) or that were received (client). */
  readonly metadata?: MetadataInit;
  /** google.rpc.Status details; the server sends them in `grpc-status-details-bin`. */
  readonly statusDetails?: readonly StatusDetail[];
  /** A serialized google.rpc.Status, sent or received verbatim. Takes precedence over `statusDetails`. */
  readonly rawStatusDetails?: Uint8Array;
  readonly cause?: unknown;
}

export class GrpcError extends Error {
  override name = "GrpcError";
  readonly code: Status;
  /** The status message (`grpc-message`), without the code prefix `message` has. */
  readonly details: string;
  /** Trailers. */
  readonly metadata: Metadata;
  /** Decoded google.rpc.Status.details; empty when there were none or they did not decode. */
  readonly statusDetails: readonly StatusDetail[];
  /** The `grpc-status-details-bin` bytes as received (or as given). */
  readonly rawStatusDetails: Uint8Array | undefined;

  constructor(code: Status, details = "", options?: GrpcErrorOptions) {
    super(details === "" ? statusName(code) : `${statusName(code)}: ${details}`, { cause: options?.cause });
    this.code = code;
    this.details = details;
    this.metadata = toMetadata(options?.metadata) ?? new Metadata();
    this.rawStatusDetails = options?.rawStatusDetails;
    this.statusDetails =
      options?.rawStatusDetails !== undefined
        ? (decodeRpcStatus(options.rawStatusDetails)?.details ?? [])
        : (options?.statusDetails ?? []);
  }

  /** `error` if it is a GrpcError, else a new one with `code` that keeps `error` as its cause. */
  static from(error: unknown, code: Status = Status.UNKNOWN): GrpcError {
    if (error instanceof GrpcError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new GrpcError(code, message, { cause: error });
  }
}
