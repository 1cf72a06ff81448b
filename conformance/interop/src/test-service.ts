// grpc.testing.TestService on tsgrpc: the server features of
// interop-test-descriptions.md (EmptyCall, UnaryCall, CacheableUnaryCall,
// StreamingInputCall, StreamingOutputCall, FullDuplexCall, HalfDuplexCall,
// CompressedRequest, CompressedResponse, Echo Status, Echo Metadata,
// ResponseParameters.interval_us). UnimplementedCall is left out, so the
// server answers it with UNIMPLEMENTED, as unimplemented_method expects.
import {
  createServer,
  GrpcError,
  sendUncompressed,
  type Server,
  type ServerContext,
  type ServerOptions,
  Status,
  wasCompressed,
} from "@tsgrpc/runtime";
import type { Empty } from "../gen/grpc/testing/empty_pb.js";
import {
  type BoolValue,
  type EchoStatus,
  type Payload,
  PayloadType,
  type ResponseParameters,
  type SimpleRequest,
  type SimpleResponse,
  type StreamingInputCallRequest,
  type StreamingInputCallResponse,
  type StreamingOutputCallRequest,
  type StreamingOutputCallResponse,
} from "../gen/grpc/testing/messages_pb.js";
import { TestService, type TestServiceHandlers } from "../gen/grpc/testing/test_grpc.js";
import type { PartialMessage } from "@tsgrpc/runtime";
import { sleep } from "./request-queue.js";
import { ECHO_INITIAL_KEY, ECHO_TRAILING_KEY } from "./descriptions.js";
import { type ServerIdentity, serverIdentity } from "./runner.js";

type Handlers = Omit<TestServiceHandlers, "unimplementedCall">;

/** Echo Metadata: the initial key goes back in the response headers, the trailing one in the trailers. */
function echoMetadata(ctx: ServerContext): void {
  const trailing = ctx.metadata.getAll(ECHO_TRAILING_KEY);
  if (trailing.length > 0) ctx.setTrailer(trailing.map((v) => [ECHO_TRAILING_KEY, v] as const));
  const initial = ctx.metadata.getAll(ECHO_INITIAL_KEY);
  if (initial.length > 0) ctx.sendHeader(initial.map((v) => [ECHO_INITIAL_KEY, v] as const));
}

/**
 * CompressedRequest: with `expect_compressed` set, the message's Compressed-Flag
 * must match it (true: compressed; false: not — as grpc C++'s server checks).
 */
function checkExpectedCompression(message: object, expect: BoolValue | undefined): void {
  if (expect === undefined) return;
  const compressed = wasCompressed(message);
  if (expect.value && !compressed) {
    throw new GrpcError(Status.INVALID_ARGUMENT, "expected a compressed request (expect_compressed), got an uncompressed one");
  }
  if (!expect.value && compressed) {
    throw new GrpcError(Status.INVALID_ARGUMENT, "expected an uncompressed request (expect_compressed=false), got a compressed one");
  }
}

/** Echo Status: a non-OK response_status ends the call with that code and message. */
function checkEchoStatus(status: EchoStatus | undefined): void {
  if (status === undefined || status.code === 0) return;
  throw new GrpcError(status.code as Status, status.message);
}

function payload(type: PayloadType, size: number): PartialMessage<Payload> {
  if (type !== PayloadType.COMPRESSABLE) throw new GrpcError(Status.INVALID_ARGUMENT, `unsupported response_type ${type}`);
  if (size < 0) throw new GrpcError(Status.INVALID_ARGUMENT, `negative response size ${size}`);
  return { type, body: new Uint8Array(size) };
}

/** One response per ResponseParameters, each after its interval_us pause. */
async function* respond(
  type: PayloadType,
  parameters: readonly ResponseParameters[],
  ctx: ServerContext,
  perMessageCompression: boolean,
): AsyncGenerator<PartialMessage<StreamingOutputCallResponse>> {
  for (const p of parameters) {
    await sleep(p.intervalUs / 1000, ctx.signal);
    const response: PartialMessage<StreamingOutputCallResponse> = { payload: payload(type, p.size) };
    yield perMessageCompression && p.compressed?.value !== true ? sendUncompressed(response) : response;
  }
}

/** The handlers that do not depend on the server's identity. */
const sharedHandlers: Omit<Handlers, "unaryCall"> = {
  emptyCall(_request: Empty, ctx: ServerContext): PartialMessage<Empty> {
    echoMetadata(ctx);
    return {};
  },

  cacheableUnaryCall(_request: SimpleRequest, ctx: ServerContext): PartialMessage<SimpleResponse> {
    ctx.sendHeader({ "cache-control": "max-age=60, public" });
    return { payload: { body: new TextEncoder().encode(String(process.hrtime.bigint())) } };
  },

  async streamingInputCall(
    requests: AsyncIterable<StreamingInputCallRequest>,
    ctx: ServerContext,
  ): Promise<PartialMessage<StreamingInputCallResponse>> {
    echoMetadata(ctx);
    let aggregatedPayloadSize = 0;
    for await (const request of requests) {
      checkExpectedCompression(request, request.expectCompressed);
      aggregatedPayloadSize += request.payload?.body.length ?? 0;
    }
    return { aggregatedPayloadSize };
  },

  async *streamingOutputCall(
    request: StreamingOutputCallRequest,
    ctx: ServerContext,
  ): AsyncGenerator<PartialMessage<StreamingOutputCallResponse>> {
    // CompressedResponse per message: the call compresses when any response asks for it,
    // and the others are sent with the Compressed-Flag off.
    const perMessage = request.responseParameters.some((p) => p.compressed !== undefined);
    if (request.responseParameters.some((p) => p.compressed?.value === true)) ctx.setCompression("gzip");
    echoMetadata(ctx);
    checkEchoStatus(request.responseStatus);
    yield* respond(request.responseType, request.responseParameters, ctx, perMessage);
  },

  async *fullDuplexCall(
    requests: AsyncIterable<StreamingOutputCallRequest>,
    ctx: ServerContext,
  ): AsyncGenerator<PartialMessage<StreamingOutputCallResponse>> {
    echoMetadata(ctx);
    for await (const request of requests) {
      checkEchoStatus(request.responseStatus);
      yield* respond(request.responseType, request.responseParameters, ctx, false);
    }
  },

  async *halfDuplexCall(
    requests: AsyncIterable<StreamingOutputCallRequest>,
    ctx: ServerContext,
  ): AsyncGenerator<PartialMessage<StreamingOutputCallResponse>> {
    echoMetadata(ctx);
    const all: StreamingOutputCallRequest[] = [];
    for await (const request of requests) all.push(request);
    for (const request of all) {
      checkEchoStatus(request.responseStatus);
      yield* respond(request.responseType, request.responseParameters, ctx, false);
    }
  },
};

/** TestService's handlers, for a server that answers fill_server_id with `identity`. */
export function createTestServiceHandlers(identity: ServerIdentity): Handlers {
  return {
    ...sharedHandlers,
    unaryCall(request: SimpleRequest, ctx: ServerContext): PartialMessage<SimpleResponse> {
      // CompressedResponse: decided before Echo Metadata sends the headers.
      if (request.responseCompressed?.value === true) ctx.setCompression("gzip");
      echoMetadata(ctx);
      checkExpectedCompression(request, request.expectCompressed);
      checkEchoStatus(request.responseStatus);
      const response: PartialMessage<SimpleResponse> = { payload: payload(request.responseType, request.responseSize) };
      // The proto has no fill_server_hostname: the hostname comes with the server_id.
      if (request.fillServerId) {
        response.serverId = identity.serverId;
        response.hostname = identity.hostname;
      }
      return response;
    },
  };
}

/** A tsgrpc server with TestService; call listen() on it. Its server_id is unique unless `identity` sets one. */
export function createInteropServer(options?: ServerOptions, identity: ServerIdentity = serverIdentity("tsgrpc")): Server {
  return createServer(options).add(TestService, createTestServiceHandlers(identity));
}
