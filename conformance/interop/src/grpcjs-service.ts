// grpc.testing.TestService on @grpc/grpc-js, the control implementation:
// the same server features as test-service.ts, within what grpc-js offers.
//
// - CompressedResponse: grpc-js servers never compress responses (their
//   serializeMessage always writes Compressed-Flag 0), so response_compressed
//   is accepted and not honoured; server_compressed_* against this server
//   cannot see compressed responses.
// - CompressedRequest: grpc-js hides whether a request was compressed (it
//   decompresses before deserializing and strips grpc-encoding from the
//   metadata). A server interceptor reads the Compressed-Flag of each request
//   message from the call's HTTP/2 stream instead — a grpc-js internal
//   (`BaseServerInterceptingCall.stream`); if it disappears, expect_compressed
//   fails the call with INTERNAL rather than pass unchecked.
import type * as http2 from "node:http2";
import * as grpc from "@grpc/grpc-js";
import type {
  JsBoolValue,
  JsEchoStatus,
  JsEmpty,
  JsPayload,
  JsResponseParameters,
  JsSimpleRequest,
  JsSimpleResponse,
  JsStreamingInputCallRequest,
  JsStreamingInputCallResponse,
  JsStreamingOutputCallRequest,
  JsStreamingOutputCallResponse,
} from "./grpcjs-protos.js";
import { loadInteropProtos } from "./grpcjs-protos.js";
import { CODE, ECHO_INITIAL_KEY, ECHO_TRAILING_KEY } from "./descriptions.js";
import { type ServerIdentity, serverIdentity } from "./runner.js";

/** Compressed-Flag of received request messages, keyed by the deserialized message. */
const requestFlags = new WeakMap<object, boolean>();

/** Watches the 5-byte message headers on the raw stream and reports each message's flag in order. */
function tapMessageFlags(stream: http2.ServerHttp2Stream, onFlag: (compressed: boolean) => void): void {
  let header = 0; // bytes of the current 5-byte prefix seen
  let flag = 0;
  let length = 0;
  let remaining = 0; // payload bytes of the current message still to skip
  stream.on("data", (chunk: Buffer) => {
    let pos = 0;
    while (pos < chunk.length) {
      if (remaining > 0) {
        const n = Math.min(remaining, chunk.length - pos);
        remaining -= n;
        pos += n;
        continue;
      }
      const byte = chunk[pos++]!;
      if (header === 0) {
        flag = byte;
        length = 0;
      } else {
        length = length * 256 + byte;
      }
      if (++header === 5) {
        header = 0;
        remaining = length;
        onFlag(flag === 1);
      }
    }
  });
}

const compressionTap: grpc.ServerInterceptor = (_method, call) => {
  const stream = (call as unknown as { stream?: http2.ServerHttp2Stream }).stream;
  const flags: boolean[] = [];
  if (stream !== undefined) tapMessageFlags(stream, (compressed) => flags.push(compressed));
  return new grpc.ServerInterceptingCall(call, {
    start(next) {
      next({
        onReceiveMessage(message: unknown, nextMessage) {
          const compressed = flags.shift();
          if (compressed !== undefined && typeof message === "object" && message !== null) requestFlags.set(message, compressed);
          nextMessage(message);
        },
      });
    },
  });
};

function statusError(code: number, details: string, metadata?: grpc.Metadata): grpc.ServiceError {
  return Object.assign(new Error(`${code} ${details}`), { code, details, metadata: metadata ?? new grpc.Metadata() });
}

/** CompressedRequest, with the same rule as the tsgrpc server: the flag must match expect_compressed when it is set. */
function expectedCompressionError(message: object, expect: JsBoolValue | null | undefined, trailer: grpc.Metadata): grpc.ServiceError | undefined {
  if (expect === null || expect === undefined) return undefined;
  const compressed = requestFlags.get(message);
  if (compressed === undefined) {
    return statusError(grpc.status.INTERNAL, "cannot observe the request's Compressed-Flag under this grpc-js version", trailer);
  }
  if (expect.value === true && !compressed) {
    return statusError(CODE.INVALID_ARGUMENT, "expected a compressed request (expect_compressed), got an uncompressed one", trailer);
  }
  if (expect.value !== true && compressed) {
    return statusError(CODE.INVALID_ARGUMENT, "expected an uncompressed request (expect_compressed=false), got a compressed one", trailer);
  }
  return undefined;
}

function echoStatusError(status: JsEchoStatus | null | undefined, trailer: grpc.Metadata): grpc.ServiceError | undefined {
  if (status === null || status === undefined || !status.code) return undefined;
  return statusError(status.code, status.message ?? "", trailer);
}

/** Echo Metadata: headers now, and the trailer to end the call with. */
function echoMetadata(call: { metadata: grpc.Metadata; sendMetadata(md: grpc.Metadata): void }): grpc.Metadata {
  const initial = call.metadata.get(ECHO_INITIAL_KEY);
  if (initial.length > 0) {
    const headers = new grpc.Metadata();
    for (const v of initial) headers.add(ECHO_INITIAL_KEY, v);
    call.sendMetadata(headers);
  }
  const trailer = new grpc.Metadata();
  for (const v of call.metadata.get(ECHO_TRAILING_KEY)) trailer.add(ECHO_TRAILING_KEY, v);
  return trailer;
}

function payload(type: string | undefined, size: number | undefined): JsPayload {
  if (type !== undefined && type !== "COMPRESSABLE") throw statusError(CODE.INVALID_ARGUMENT, `unsupported response_type ${type}`);
  if (size === undefined || size < 0) throw statusError(CODE.INVALID_ARGUMENT, `bad response size ${size}`);
  return { type: "COMPRESSABLE", body: Buffer.alloc(size) };
}

/** Resolves after `us` microseconds, or false at once if the call was cancelled meanwhile. */
function pause(call: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>, us: number | undefined): Promise<boolean> {
  if (!us || us <= 0) return Promise.resolve(!call.cancelled);
  return new Promise((resolve) => {
    const onCancel = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      call.off("cancelled", onCancel);
      resolve(!call.cancelled);
    }, us / 1000);
    call.once("cancelled", onCancel);
  });
}

/** Writes one response per ResponseParameters, pausing interval_us before each; false if the call went away. */
async function writeResponses(
  call: grpc.ServerWritableStream<unknown, JsStreamingOutputCallResponse> | grpc.ServerDuplexStream<unknown, JsStreamingOutputCallResponse>,
  type: string | undefined,
  parameters: readonly JsResponseParameters[],
): Promise<boolean> {
  for (const p of parameters) {
    if (!(await pause(call, p.intervalUs))) return false;
    call.write({ payload: payload(type, p.size) });
  }
  return true;
}

/** TestService's handlers, for a server that answers fill_server_id with `identity`. */
function grpcJsHandlers(identity: ServerIdentity): grpc.UntypedServiceImplementation {
  return {
    ...sharedHandlers,
    unaryCall(call: grpc.ServerUnaryCall<JsSimpleRequest, JsSimpleResponse>, callback: grpc.sendUnaryData<JsSimpleResponse>) {
      const trailer = echoMetadata(call);
      const request = call.request;
      const error = expectedCompressionError(request, request.expectCompressed, trailer) ?? echoStatusError(request.responseStatus, trailer);
      if (error !== undefined) {
        callback(error);
        return;
      }
      try {
        const response: JsSimpleResponse = { payload: payload(request.responseType, request.responseSize) };
        if (request.fillServerId === true) {
          response.serverId = identity.serverId;
          response.hostname = identity.hostname;
        }
        callback(null, response, trailer);
      } catch (e) {
        callback(e as grpc.ServiceError);
      }
    },
  };
}

/** The handlers that do not depend on the server's identity. */
const sharedHandlers: grpc.UntypedServiceImplementation = {
  emptyCall(call: grpc.ServerUnaryCall<JsEmpty, JsEmpty>, callback: grpc.sendUnaryData<JsEmpty>) {
    const trailer = echoMetadata(call);
    callback(null, {}, trailer);
  },

  cacheableUnaryCall(call: grpc.ServerUnaryCall<JsSimpleRequest, JsSimpleResponse>, callback: grpc.sendUnaryData<JsSimpleResponse>) {
    const headers = new grpc.Metadata();
    headers.set("cache-control", "max-age=60, public");
    call.sendMetadata(headers);
    callback(null, { payload: { body: Buffer.from(String(process.hrtime.bigint())) } });
  },

  streamingInputCall(
    call: grpc.ServerReadableStream<JsStreamingInputCallRequest, JsStreamingInputCallResponse>,
    callback: grpc.sendUnaryData<JsStreamingInputCallResponse>,
  ) {
    const trailer = echoMetadata(call);
    let aggregatedPayloadSize = 0;
    let failed = false;
    call.on("data", (request: JsStreamingInputCallRequest) => {
      if (failed) return;
      const error = expectedCompressionError(request, request.expectCompressed, trailer);
      if (error !== undefined) {
        failed = true;
        callback(error);
        return;
      }
      aggregatedPayloadSize += request.payload?.body?.length ?? 0;
    });
    call.on("end", () => {
      if (!failed) callback(null, { aggregatedPayloadSize }, trailer);
    });
  },

  streamingOutputCall(call: grpc.ServerWritableStream<JsStreamingOutputCallRequest, JsStreamingOutputCallResponse>) {
    const trailer = echoMetadata(call);
    const request = call.request;
    const error = echoStatusError(request.responseStatus, trailer);
    if (error !== undefined) {
      call.emit("error", error);
      return;
    }
    writeResponses(call, request.responseType, request.responseParameters ?? []).then(
      (live) => live && call.end(trailer),
      (e: unknown) => call.emit("error", e),
    );
  },

  fullDuplexCall(call: grpc.ServerDuplexStream<JsStreamingOutputCallRequest, JsStreamingOutputCallResponse>) {
    const trailer = echoMetadata(call);
    let queue = Promise.resolve(true); // responses go out in request order, interval_us pauses included
    let failed = false;
    const fail = (e: unknown): void => {
      if (failed) return;
      failed = true;
      call.emit("error", e);
    };
    call.on("data", (request: JsStreamingOutputCallRequest) => {
      queue = queue.then((live) => {
        if (!live || failed) return false;
        const error = echoStatusError(request.responseStatus, trailer);
        if (error !== undefined) {
          fail(error);
          return false;
        }
        return writeResponses(call, request.responseType, request.responseParameters ?? []);
      });
      queue.catch(fail);
    });
    call.on("end", () => {
      void queue.then((live) => live && !failed && call.end(trailer), fail);
    });
  },

  halfDuplexCall(call: grpc.ServerDuplexStream<JsStreamingOutputCallRequest, JsStreamingOutputCallResponse>) {
    const trailer = echoMetadata(call);
    const requests: JsStreamingOutputCallRequest[] = [];
    call.on("data", (request: JsStreamingOutputCallRequest) => requests.push(request));
    call.on("end", () => {
      void (async () => {
        for (const request of requests) {
          const error = echoStatusError(request.responseStatus, trailer);
          if (error !== undefined) throw error;
          if (!(await writeResponses(call, request.responseType, request.responseParameters ?? []))) return;
        }
        call.end(trailer);
      })().catch((e: unknown) => call.emit("error", e));
    });
  },
  // unimplementedCall is left out: grpc-js answers it with UNIMPLEMENTED.
};

/** A grpc-js server with TestService (protos from `protoRoot`); bind it with bindAsync(). Its server_id is unique unless `identity` sets one. */
export function createGrpcJsInteropServer(protoRoot: string, identity: ServerIdentity = serverIdentity("grpc-js")): grpc.Server {
  const { TestService } = loadInteropProtos(protoRoot);
  const server = new grpc.Server({ interceptors: [compressionTap] });
  server.addService(TestService.service, grpcJsHandlers(identity));
  return server;
}

/** Binds `address` (port 0 picks one) and resolves with the port. */
export function bindGrpcJsServer(server: grpc.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, port) => (error ? reject(error) : resolve(port)));
  });
}

/** Graceful shutdown. */
export function shutdownGrpcJsServer(server: grpc.Server): Promise<void> {
  return new Promise((resolve) => server.tryShutdown(() => resolve()));
}
