// The interop cases on a @grpc/grpc-js client, the control for the tsgrpc
// ones in cases.ts: same assertions, through grpc-js's API. What grpc-js
// cannot do is said where it matters: per-call compression needs a second
// channel created with grpc.default_compression_algorithm, and the
// Compressed-Flag of received responses is not visible (server_compressed_*
// pass with a note).
import * as grpc from "@grpc/grpc-js";
import { check, checkBytes, checkEqual, checkOneServer, checkZeros, expectStatus } from "./assert.js";
import type {
  JsPayload,
  JsSimpleRequest,
  JsStreamingInputCallRequest,
  JsStreamingOutputCallRequest,
  JsStreamingOutputCallResponse,
  JsTestServiceClient,
  JsUnimplementedServiceClient,
} from "./grpcjs-protos.js";
import type { CaseTable } from "./runner.js";
import {
  CLIENT_STREAMING_SIZES,
  CLIENT_STREAMING_TOTAL,
  CODE,
  COMPRESSED_STREAMING_REQUEST_SIZES,
  COMPRESSED_STREAMING_RESPONSE_SIZES,
  COMPRESSED_STREAMING_TOTAL,
  ECHO_INITIAL_KEY,
  ECHO_INITIAL_VALUE,
  ECHO_TRAILING_KEY,
  ECHO_TRAILING_VALUE,
  LARGE_REQUEST_SIZE,
  LARGE_RESPONSE_SIZE,
  NOTE_FLAGS_NOT_OBSERVABLE,
  PICK_FIRST_CALLS,
  PING_REQUEST_SIZE,
  PING_RESPONSE_SIZE,
  SERVER_STREAMING_SIZES,
  SPECIAL_STATUS_MESSAGE,
  STATUS_CODE,
  STATUS_MESSAGE,
} from "./descriptions.js";

export interface GrpcJsCaseContext {
  /** Sends uncompressed. */
  readonly client: JsTestServiceClient;
  /** Created with grpc.default_compression_algorithm = gzip: compresses every request message unless told not to. */
  readonly gzipClient: JsTestServiceClient;
  readonly unimplementedClient: JsUnimplementedServiceClient;
}

/** grpc-js WriteFlags.NoCompress (not exported); passed where Writable.write takes its encoding, as grpc-js reads it. */
const NO_COMPRESS = 2 as unknown as BufferEncoding;

const zeros = (size: number): JsPayload => ({ body: Buffer.alloc(size) });

function checkPayload(payload: JsPayload | null | undefined, size: number, what: string): void {
  check(payload !== undefined && payload !== null, `${what}: response has no payload`);
  checkEqual(payload.type, "COMPRESSABLE", `${what}: payload type`);
  checkZeros(payload.body, size, what);
}

function checkSizes(responses: readonly JsStreamingOutputCallResponse[], sizes: readonly number[], what: string): void {
  checkEqual(responses.length, sizes.length, `${what}: number of responses`);
  responses.forEach((r, i) => checkPayload(r.payload, sizes[i]!, `${what}: response ${i}`));
}

function largeRequest(init: JsSimpleRequest = {}): JsSimpleRequest {
  return { responseSize: LARGE_RESPONSE_SIZE, payload: zeros(LARGE_REQUEST_SIZE), ...init };
}

interface Completed<T> {
  readonly response: T;
  readonly headers: grpc.Metadata | undefined;
  readonly trailers: grpc.Metadata;
}

type UnaryMethod<I, O> = (request: I, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<O>) => grpc.ClientUnaryCall;

/** A unary call that settles once its status (and so its trailers) has arrived. */
function unary<I, O>(method: UnaryMethod<I, O>, request: I, metadata = new grpc.Metadata()): Promise<Completed<O>> {
  return new Promise((resolve, reject) => {
    let headers: grpc.Metadata | undefined;
    let outcome: { error: grpc.ServiceError | null; response: O | undefined } | undefined;
    const call = method(request, metadata, {}, (error, response) => {
      outcome = { error, response };
    });
    call.on("metadata", (md: grpc.Metadata) => (headers = md));
    call.on("status", (status: grpc.StatusObject) => {
      if (outcome?.error) reject(outcome.error);
      else if (status.code !== grpc.status.OK) reject(Object.assign(new Error(status.details), status));
      else resolve({ response: outcome!.response!, headers, trailers: status.metadata });
    });
  });
}

/** Reads a response stream to its status: all responses on OK, the status as the error otherwise. */
function collect<T>(call: grpc.ClientReadableStream<T> | grpc.ClientDuplexStream<unknown, T>): Promise<Completed<T[]>> {
  return new Promise((resolve, reject) => {
    const responses: T[] = [];
    let headers: grpc.Metadata | undefined;
    let ended = false;
    let status: grpc.StatusObject | undefined;
    const settle = (): void => {
      if (status === undefined) return;
      if (status.code !== grpc.status.OK) reject(Object.assign(new Error(status.details), status));
      else if (ended) resolve({ response: responses, headers, trailers: status.metadata });
    };
    call.on("metadata", (md: grpc.Metadata) => (headers = md));
    call.on("data", (r: T) => responses.push(r));
    call.on("end", () => {
      ended = true;
      settle();
    });
    call.on("error", () => {}); // the status event carries it
    call.on("status", (s: grpc.StatusObject) => {
      status = s;
      settle();
    });
  });
}

/** A client-streaming call: writes `requests` (each with its write flags), half-closes, resolves with the response. */
function clientStream(
  client: JsTestServiceClient,
  requests: readonly { message: JsStreamingInputCallRequest; flags?: BufferEncoding }[],
): Promise<{ aggregatedPayloadSize?: number }> {
  return new Promise((resolve, reject) => {
    const call = client.streamingInputCall(new grpc.Metadata(), {}, (error, response) => (error ? reject(error) : resolve(response!)));
    call.on("error", () => {});
    for (const { message, flags } of requests) {
      if (flags !== undefined) call.write(message, flags);
      else call.write(message);
    }
    call.end();
  });
}

function checkEchoedMetadata(headers: grpc.Metadata | undefined, trailers: grpc.Metadata, what: string): void {
  check(headers !== undefined, `${what}: no response headers`);
  const initial = headers.get(ECHO_INITIAL_KEY);
  checkEqual(initial.length, 1, `${what}: number of ${ECHO_INITIAL_KEY} values in the initial metadata`);
  checkEqual(initial[0], ECHO_INITIAL_VALUE, `${what}: ${ECHO_INITIAL_KEY}`);
  const trailing = trailers.get(ECHO_TRAILING_KEY);
  checkEqual(trailing.length, 1, `${what}: number of ${ECHO_TRAILING_KEY} values in the trailing metadata`);
  const value = trailing[0];
  check(Buffer.isBuffer(value), `${what}: ${ECHO_TRAILING_KEY} is not binary`);
  checkBytes(value, ECHO_TRAILING_VALUE, `${what}: ${ECHO_TRAILING_KEY}`);
}

async function nextResponse<T>(responses: AsyncIterator<T>, what: string): Promise<T> {
  const next = await responses.next();
  check(next.done !== true, `${what}: the response stream ended early`);
  return next.value;
}

export const grpcJsCases: CaseTable<GrpcJsCaseContext> = {
  async empty_unary({ client }) {
    const { response } = await unary(client.emptyCall.bind(client), {});
    check(response !== undefined && response !== null, "response is null");
  },

  async large_unary({ client }) {
    const { response } = await unary(client.unaryCall.bind(client), largeRequest());
    checkPayload(response.payload, LARGE_RESPONSE_SIZE, "response");
  },

  async client_compressed_unary({ client, gzipClient }) {
    await expectStatus(
      unary(client.unaryCall.bind(client), largeRequest({ expectCompressed: { value: true } })),
      CODE.INVALID_ARGUMENT,
      "probe (uncompressed request with expect_compressed=true)",
    );
    const compressed = await unary(gzipClient.unaryCall.bind(gzipClient), largeRequest({ expectCompressed: { value: true } }));
    checkPayload(compressed.response.payload, LARGE_RESPONSE_SIZE, "compressed request");
    const plain = await unary(client.unaryCall.bind(client), largeRequest({ expectCompressed: { value: false } }));
    checkPayload(plain.response.payload, LARGE_RESPONSE_SIZE, "uncompressed request");
  },

  async server_compressed_unary({ client }) {
    for (const compressed of [true, false]) {
      const { response } = await unary(client.unaryCall.bind(client), largeRequest({ responseCompressed: { value: compressed } }));
      checkPayload(response.payload, LARGE_RESPONSE_SIZE, `response_compressed=${compressed}`);
    }
    return NOTE_FLAGS_NOT_OBSERVABLE;
  },

  async client_streaming({ client }) {
    const response = await clientStream(client, CLIENT_STREAMING_SIZES.map((size) => ({ message: { payload: zeros(size) } })));
    checkEqual(response.aggregatedPayloadSize, CLIENT_STREAMING_TOTAL, "aggregated_payload_size");
  },

  async client_compressed_streaming({ client, gzipClient }) {
    const [first, second] = COMPRESSED_STREAMING_REQUEST_SIZES;
    await expectStatus(
      clientStream(client, [{ message: { expectCompressed: { value: true }, payload: zeros(first) } }]),
      CODE.INVALID_ARGUMENT,
      "probe (uncompressed request with expect_compressed=true)",
    );
    const response = await clientStream(gzipClient, [
      { message: { expectCompressed: { value: true }, payload: zeros(first) } },
      { message: { expectCompressed: { value: false }, payload: zeros(second) }, flags: NO_COMPRESS },
    ]);
    checkEqual(response.aggregatedPayloadSize, COMPRESSED_STREAMING_TOTAL, "aggregated_payload_size");
  },

  async server_streaming({ client }) {
    const request: JsStreamingOutputCallRequest = { responseParameters: SERVER_STREAMING_SIZES.map((size) => ({ size })) };
    const { response } = await collect(client.streamingOutputCall(request, new grpc.Metadata()));
    checkSizes(response, SERVER_STREAMING_SIZES, "server_streaming");
  },

  async server_compressed_streaming({ client }) {
    const [first, second] = COMPRESSED_STREAMING_RESPONSE_SIZES;
    const request: JsStreamingOutputCallRequest = {
      responseParameters: [
        { compressed: { value: true }, size: first },
        { compressed: { value: false }, size: second },
      ],
    };
    const { response } = await collect(client.streamingOutputCall(request, new grpc.Metadata()));
    checkSizes(response, COMPRESSED_STREAMING_RESPONSE_SIZES, "server_compressed_streaming");
    return NOTE_FLAGS_NOT_OBSERVABLE;
  },

  async ping_pong({ client }) {
    const call = client.fullDuplexCall(new grpc.Metadata());
    const done = collectStatus(call);
    const responses = call[Symbol.asyncIterator]() as AsyncIterator<JsStreamingOutputCallResponse>;
    for (let i = 0; i < SERVER_STREAMING_SIZES.length; i++) {
      call.write({ responseParameters: [{ size: SERVER_STREAMING_SIZES[i] }], payload: zeros(CLIENT_STREAMING_SIZES[i]!) });
      const response = await nextResponse(responses, `ping ${i}`);
      checkPayload(response.payload, SERVER_STREAMING_SIZES[i]!, `pong ${i}`);
    }
    call.end();
    const last = await responses.next();
    check(last.done === true, "a response arrived after the fourth");
    checkEqual((await done).code, CODE.OK, "status");
  },

  async empty_stream({ client }) {
    const call = client.fullDuplexCall(new grpc.Metadata());
    const result = collect(call);
    call.end();
    checkEqual((await result).response.length, 0, "number of responses");
  },

  async timeout_on_sleeping_server({ client }) {
    const call = client.fullDuplexCall(new grpc.Metadata(), { deadline: Date.now() + 1 });
    const result = collect(call);
    call.write({ payload: zeros(PING_REQUEST_SIZE) });
    await expectStatus(result, CODE.DEADLINE_EXCEEDED, "call with a 1 ms deadline");
  },

  async cancel_after_begin({ client }) {
    const result = new Promise<unknown>((resolve, reject) => {
      const call = client.streamingInputCall(new grpc.Metadata(), {}, (error, response) => (error ? reject(error) : resolve(response)));
      call.on("error", () => {});
      call.cancel();
    });
    await expectStatus(result, CODE.CANCELLED, "cancelled call");
  },

  async cancel_after_first_response({ client }) {
    const call = client.fullDuplexCall(new grpc.Metadata());
    const status = collectStatus(call);
    const responses = call[Symbol.asyncIterator]() as AsyncIterator<JsStreamingOutputCallResponse>;
    call.write({ responseParameters: [{ size: PING_RESPONSE_SIZE }], payload: zeros(PING_REQUEST_SIZE) });
    const first = await nextResponse(responses, "first response");
    checkPayload(first.payload, PING_RESPONSE_SIZE, "first response");
    call.cancel();
    checkEqual((await status).code, CODE.CANCELLED, "status after cancel");
  },

  async custom_metadata({ client }) {
    const metadata = new grpc.Metadata();
    metadata.set(ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE);
    metadata.set(ECHO_TRAILING_KEY, Buffer.from(ECHO_TRAILING_VALUE));
    const unaryResult = await unary(client.unaryCall.bind(client), largeRequest(), metadata);
    checkPayload(unaryResult.response.payload, LARGE_RESPONSE_SIZE, "UnaryCall");
    checkEchoedMetadata(unaryResult.headers, unaryResult.trailers, "UnaryCall");

    const call = client.fullDuplexCall(metadata);
    const result = collect(call);
    call.write({ responseParameters: [{ size: LARGE_RESPONSE_SIZE }], payload: zeros(LARGE_REQUEST_SIZE) });
    call.end();
    const { response, headers, trailers } = await result;
    checkSizes(response, [LARGE_RESPONSE_SIZE], "FullDuplexCall");
    checkEchoedMetadata(headers, trailers, "FullDuplexCall");
  },

  async status_code_and_message({ client }) {
    const responseStatus = { code: STATUS_CODE, message: STATUS_MESSAGE };
    await expectStatus(unary(client.unaryCall.bind(client), { responseStatus }), STATUS_CODE, "UnaryCall", STATUS_MESSAGE);
    const call = client.fullDuplexCall(new grpc.Metadata());
    const result = collect(call);
    call.write({ responseStatus });
    call.end();
    await expectStatus(result, STATUS_CODE, "FullDuplexCall", STATUS_MESSAGE);
  },

  async special_status_message({ client }) {
    const responseStatus = { code: STATUS_CODE, message: SPECIAL_STATUS_MESSAGE };
    await expectStatus(unary(client.unaryCall.bind(client), { responseStatus }), STATUS_CODE, "UnaryCall", SPECIAL_STATUS_MESSAGE);
  },

  async unimplemented_method({ client }) {
    await expectStatus(unary(client.unimplementedCall.bind(client), {}), CODE.UNIMPLEMENTED, "TestService/UnimplementedCall");
  },

  async unimplemented_service({ unimplementedClient }) {
    await expectStatus(
      unary(unimplementedClient.unimplementedCall.bind(unimplementedClient), {}),
      CODE.UNIMPLEMENTED,
      "UnimplementedService/UnimplementedCall",
    );
  },

  async pick_first_unary({ client }) {
    const serverIds: (string | undefined)[] = [];
    for (let i = 0; i < PICK_FIRST_CALLS; i++) serverIds.push((await unary(client.unaryCall.bind(client), { fillServerId: true })).response.serverId);
    checkOneServer(serverIds, `${PICK_FIRST_CALLS} calls`);
  },
};

/** The final status of a streaming call whose responses are read elsewhere. */
function collectStatus<I, O>(call: grpc.ClientDuplexStream<I, O>): Promise<grpc.StatusObject> {
  call.on("error", () => {});
  return new Promise((resolve) => call.on("status", resolve));
}

/** Clients for `host:port` (`authority` overrides the :authority header). */
export function connectGrpcJs(
  protos: { TestService: grpc.ServiceClientConstructor; UnimplementedService: grpc.ServiceClientConstructor },
  address: string,
  authority?: string,
): { ctx: GrpcJsCaseContext; close(): void } {
  const credentials = grpc.credentials.createInsecure();
  const options: grpc.ClientOptions = authority !== undefined ? { "grpc.default_authority": authority } : {};
  const client = new protos.TestService(address, credentials, options) as unknown as JsTestServiceClient;
  const gzipClient = new protos.TestService(address, credentials, {
    ...options,
    "grpc.default_compression_algorithm": grpc.compressionAlgorithms.gzip,
  }) as unknown as JsTestServiceClient;
  const unimplementedClient = new protos.UnimplementedService(address, credentials, options) as unknown as JsUnimplementedServiceClient;
  return {
    ctx: { client, gzipClient, unimplementedClient },
    close() {
      client.close();
      gzipClient.close();
      unimplementedClient.close();
    },
  };
}
