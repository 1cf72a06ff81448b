// The status in trailers: `grpc-status`, `grpc-message`, `grpc-status-details-bin`
// plus custom metadata. The server writes them, the client reads them.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http2";
import { GrpcError } from "./grpc-error.js";
import { HEADER_MESSAGE, HEADER_STATUS, HEADER_STATUS_DETAILS } from "./headers.js";
import { fromBase64, Metadata, toBase64 } from "./metadata.js";
import { decodeGrpcMessage, encodeGrpcMessage } from "./percent-encoding.js";
import { Status, toStatus } from "./status.js";
import { encodeRpcStatus } from "./status-details.js";

/** Trailers for a status; `error` undefined means OK. `metadata` are the handler's trailers. */
/** The trailers of almost every successful call, built once. */
const OK_TRAILERS: OutgoingHttpHeaders = Object.freeze({ [HEADER_STATUS]: "0" });

export function statusToTrailers(error: GrpcError | undefined, metadata: Metadata | undefined): OutgoingHttpHeaders {
  if (error === undefined && (metadata === undefined || metadata.size === 0)) return OK_TRAILERS;
  const out: OutgoingHttpHeaders = { [HEADER_STATUS]: error === undefined ? "0" : String(error.code) };
  if (error !== undefined) {
    if (error.details !== "") out[HEADER_MESSAGE] = encodeGrpcMessage(error.details);
    let details = error.rawStatusDetails;
    if (details === undefined && error.statusDetails.length > 0) {
      details = encodeRpcStatus({ code: error.code, message: error.details, details: error.statusDetails });
    }
    if (details !== undefined) out[HEADER_STATUS_DETAILS] = toBase64(details);
    if (error.metadata.size > 0) Object.assign(out, error.metadata.toHttp2Headers());
  }
  if (metadata !== undefined && metadata.size > 0) Object.assign(out, metadata.toHttp2Headers());
  return out;
}

const STATUS_PATTERN = /^\d{1,10}$/;

/**
 * The status in received trailers (or a Trailers-Only response): null for OK,
 * a GrpcError otherwise, undefined when `grpc-status` is absent. The error
 * carries the trailers as metadata, so OK needs no Metadata at all.
 */
export function statusFromTrailers(headers: IncomingHttpHeaders): GrpcError | null | undefined {
  const raw = headers[HEADER_STATUS];
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? raw[0]! : raw;
  const code = STATUS_PATTERN.test(text) ? toStatus(Number(text)) : Status.UNKNOWN;
  if (code === Status.OK) return null;
  const message = headers[HEADER_MESSAGE];
  const detailsBin = headers[HEADER_STATUS_DETAILS];
  return new GrpcError(code, typeof message === "string" ? decodeGrpcMessage(message) : "", {
    metadata: Metadata.fromHttp2Headers(headers),
    rawStatusDetails: typeof detailsBin === "string" ? fromBase64(detailsBin) : undefined,
  });
}
