// Synthesizing a status when the peer did not send one (PROTOCOL-HTTP2.md,
// "Errors", and doc/http-grpc-status-mapping.md).
import { constants } from "node:http2";
import { Status } from "./status.js";

/** For responses without `grpc-status`, from the HTTP status. */
export function statusFromHttpStatus(httpStatus: number): Status {
  switch (httpStatus) {
    case 400:
      return Status.INTERNAL;
    case 401:
      return Status.UNAUTHENTICATED;
    case 403:
      return Status.PERMISSION_DENIED;
    case 404:
      return Status.UNIMPLEMENTED;
    case 429:
    case 502:
    case 503:
    case 504:
      return Status.UNAVAILABLE;
    default:
      return Status.UNKNOWN;
  }
}

/** For streams the peer reset with RST_STREAM before a status arrived. */
export function statusFromRstCode(code: number): Status {
  switch (code) {
    case constants.NGHTTP2_REFUSED_STREAM:
      return Status.UNAVAILABLE;
    case constants.NGHTTP2_CANCEL:
      return Status.CANCELLED;
    case constants.NGHTTP2_ENHANCE_YOUR_CALM:
      return Status.RESOURCE_EXHAUSTED;
    case constants.NGHTTP2_INADEQUATE_SECURITY:
      return Status.PERMISSION_DENIED;
    default:
      // NO_ERROR (a status should have been sent), PROTOCOL_ERROR, INTERNAL_ERROR,
      // FLOW_CONTROL_ERROR, SETTINGS_TIMEOUT, FRAME_SIZE_ERROR, COMPRESSION_ERROR,
      // CONNECT_ERROR and anything unknown.
      return Status.INTERNAL;
  }
}
