// Access logging on the server: one entry per call, with its duration and the
// status code it ended with.
import { GrpcError, type ServerInterceptor, Status } from "@tsgrpc/runtime";

export interface AccessLogEntry {
  /** e.g. `/routeguide.RouteGuide/GetFeature` */
  readonly method: string;
  readonly peer: string;
  readonly code: Status;
  readonly durationMs: number;
}

export function accessLog(write: (entry: AccessLogEntry) => void): ServerInterceptor {
  return async function* (call, next) {
    const start = performance.now();
    const { method, peer, signal } = call.context;
    let failure: unknown;
    try {
      yield* next(call);
    } catch (e) {
      failure = e;
      throw e;
    } finally {
      // Not failed: OK, unless the call ended under the handler (client cancel, deadline), which the signal says.
      const ended = failure ?? (signal.aborted ? signal.reason : undefined);
      const code = ended === undefined ? Status.OK : ended instanceof GrpcError ? ended.code : Status.UNKNOWN;
      write({ method: method.path, peer, code, durationMs: performance.now() - start });
    }
  };
}
