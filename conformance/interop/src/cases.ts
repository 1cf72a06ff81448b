// The interop cases on a tsgrpc client, one function each, asserting what
// interop-test-descriptions.md says the client asserts.
import { type Channel, Metadata, type PartialMessage, sendUncompressed, Status, wasCompressed } from "@tsgrpc/runtime";
import { Empty } from "../gen/grpc/testing/empty_pb.js";
import {
  type Payload,
  PayloadType,
  type SimpleRequest,
  type StreamingInputCallRequest,
  type StreamingOutputCallRequest,
  type StreamingOutputCallResponse,
} from "../gen/grpc/testing/messages_pb.js";
import { TestServiceClient, UnimplementedServiceClient } from "../gen/grpc/testing/test_grpc.js";
import { check, checkBytes, checkEqual, checkOneServer, checkZeros, expectStatus } from "./assert.js";
import { fromArray, RequestQueue } from "./request-queue.js";
import type { CaseTable } from "./runner.js";
import {
  CLIENT_STREAMING_SIZES,
  CLIENT_STREAMING_TOTAL,
  COMPRESSED_STREAMING_REQUEST_SIZES,
  COMPRESSED_STREAMING_RESPONSE_SIZES,
  COMPRESSED_STREAMING_TOTAL,
  ECHO_INITIAL_KEY,
  ECHO_INITIAL_VALUE,
  ECHO_TRAILING_KEY,
  ECHO_TRAILING_VALUE,
  LARGE_REQUEST_SIZE,
  LARGE_RESPONSE_SIZE,
  PICK_FIRST_CALLS,
  PING_REQUEST_SIZE,
  PING_RESPONSE_SIZE,
  SERVER_STREAMING_SIZES,
  SPECIAL_STATUS_MESSAGE,
  STATUS_CODE,
  STATUS_MESSAGE,
} from "./descriptions.js";

export interface TsgrpcCaseContext {
  readonly channel: Channel;
}

const zeros = (size: number): PartialMessage<Payload> => ({ body: new Uint8Array(size) });

function checkPayload(payload: Payload | undefined, size: number, what: string): void {
  check(payload !== undefined, `${what}: response has no payload`);
  checkEqual(payload.type, PayloadType.COMPRESSABLE, `${what}: payload type`);
  checkZeros(payload.body, size, what);
}

function checkSizes(responses: readonly StreamingOutputCallResponse[], sizes: readonly number[], what: string): void {
  checkEqual(responses.length, sizes.length, `${what}: number of responses`);
  responses.forEach((r, i) => checkPayload(r.payload, sizes[i]!, `${what}: response ${i}`));
}

async function collect<T>(responses: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of responses) out.push(r);
  return out;
}

function largeRequest(init: PartialMessage<SimpleRequest> = {}): PartialMessage<SimpleRequest> {
  return { responseSize: LARGE_RESPONSE_SIZE, payload: zeros(LARGE_REQUEST_SIZE), ...init };
}

/** The next response of an open stream; fails if the stream ended instead. */
async function nextResponse<T>(responses: AsyncIterator<T>, what: string): Promise<T> {
  const next = await responses.next();
  check(next.done !== true, `${what}: the response stream ended early`);
  return next.value;
}

function checkEchoedMetadata(headers: Metadata | undefined, trailers: Metadata | undefined, what: string): void {
  check(headers !== undefined, `${what}: no response headers`);
  const initial = headers.getAll(ECHO_INITIAL_KEY);
  checkEqual(initial.length, 1, `${what}: number of ${ECHO_INITIAL_KEY} values in the initial metadata`);
  checkEqual(initial[0], ECHO_INITIAL_VALUE, `${what}: ${ECHO_INITIAL_KEY}`);
  check(trailers !== undefined, `${what}: no trailers`);
  const trailing = trailers.getAll(ECHO_TRAILING_KEY);
  checkEqual(trailing.length, 1, `${what}: number of ${ECHO_TRAILING_KEY} values in the trailing metadata`);
  const value = trailing[0];
  check(value instanceof Uint8Array, `${what}: ${ECHO_TRAILING_KEY} is not binary`);
  checkBytes(value, ECHO_TRAILING_VALUE, `${what}: ${ECHO_TRAILING_KEY}`);
}

export const tsgrpcCases: CaseTable<TsgrpcCaseContext> = {
  async empty_unary({ channel }) {
    const response = await new TestServiceClient(channel).emptyCall({});
    check(response !== undefined && response !== null, "response is null");
    checkEqual(Empty.encode(response).length, 0, "serialized response size");
  },

  async large_unary({ channel }) {
    const response = await new TestServiceClient(channel).unaryCall(largeRequest());
    checkPayload(response.payload, LARGE_RESPONSE_SIZE, "response");
  },

  async client_compressed_unary({ channel }) {
    const client = new TestServiceClient(channel);
    // The probe: expect_compressed on an uncompressed request must be refused.
    await expectStatus(
      client.unaryCall(largeRequest({ expectCompressed: { value: true } }), { compression: "identity" }),
      Status.INVALID_ARGUMENT,
      "probe (uncompressed request with expect_compressed=true)",
    );
    const compressed = await client.unaryCall(largeRequest({ expectCompressed: { value: true } }), { compression: "gzip" });
    checkPayload(compressed.payload, LARGE_RESPONSE_SIZE, "compressed request");
    const plain = await client.unaryCall(largeRequest({ expectCompressed: { value: false } }), { compression: "identity" });
    checkPayload(plain.payload, LARGE_RESPONSE_SIZE, "uncompressed request");
  },

  async server_compressed_unary({ channel }) {
    const client = new TestServiceClient(channel);
    for (const compressed of [true, false]) {
      const what = `response_compressed=${compressed}`;
      const response = await client.unaryCall(largeRequest({ responseCompressed: { value: compressed } }));
      checkEqual(wasCompressed(response), compressed, `${what}: response compressed flag`);
      checkPayload(response.payload, LARGE_RESPONSE_SIZE, what);
    }
  },

  async client_streaming({ channel }) {
    const requests = CLIENT_STREAMING_SIZES.map((size): PartialMessage<StreamingInputCallRequest> => ({ payload: zeros(size) }));
    const response = await new TestServiceClient(channel).streamingInputCall(fromArray(requests));
    checkEqual(response.aggregatedPayloadSize, CLIENT_STREAMING_TOTAL, "aggregated_payload_size");
  },

  async client_compressed_streaming({ channel }) {
    const client = new TestServiceClient(channel);
    const [first, second] = COMPRESSED_STREAMING_REQUEST_SIZES;
    await expectStatus(
      client.streamingInputCall(fromArray([{ expectCompressed: { value: true }, payload: zeros(first) }]), { compression: "identity" }),
      Status.INVALID_ARGUMENT,
      "probe (uncompressed request with expect_compressed=true)",
    );
    // A compressed call: the first message compressed, the second sent with the Compressed-Flag off.
    const requests: PartialMessage<StreamingInputCallRequest>[] = [
      { expectCompressed: { value: true }, payload: zeros(first) },
      sendUncompressed({ expectCompressed: { value: false }, payload: zeros(second) }),
    ];
    const response = await client.streamingInputCall(fromArray(requests), { compression: "gzip" });
    checkEqual(response.aggregatedPayloadSize, COMPRESSED_STREAMING_TOTAL, "aggregated_payload_size");
  },

  async server_streaming({ channel }) {
    const request: PartialMessage<StreamingOutputCallRequest> = {
      responseParameters: SERVER_STREAMING_SIZES.map((size) => ({ size })),
    };
    const responses = await collect(new TestServiceClient(channel).streamingOutputCall(request));
    checkSizes(responses, SERVER_STREAMING_SIZES, "server_streaming");
  },

  async server_compressed_streaming({ channel }) {
    const [first, second] = COMPRESSED_STREAMING_RESPONSE_SIZES;
    const request: PartialMessage<StreamingOutputCallRequest> = {
      responseParameters: [
        { compressed: { value: true }, size: first },
        { compressed: { value: false }, size: second },
      ],
    };
    const responses = await collect(new TestServiceClient(channel).streamingOutputCall(request));
    checkSizes(responses, COMPRESSED_STREAMING_RESPONSE_SIZES, "server_compressed_streaming");
    checkEqual(wasCompressed(responses[0]!), true, "response 0 (compressed=true): compressed flag");
    checkEqual(wasCompressed(responses[1]!), false, "response 1 (compressed=false): compressed flag");
  },

  async ping_pong({ channel }) {
    const requests = new RequestQueue<PartialMessage<StreamingOutputCallRequest>>();
    const responses = new TestServiceClient(channel).fullDuplexCall(requests)[Symbol.asyncIterator]();
    try {
      for (let i = 0; i < SERVER_STREAMING_SIZES.length; i++) {
        requests.push({ responseParameters: [{ size: SERVER_STREAMING_SIZES[i]! }], payload: zeros(CLIENT_STREAMING_SIZES[i]!) });
        const response = await nextResponse(responses, `ping ${i}`);
        checkPayload(response.payload, SERVER_STREAMING_SIZES[i]!, `pong ${i}`);
      }
      requests.end();
      const last = await responses.next();
      check(last.done === true, "a response arrived after the fourth");
    } finally {
      await requests.return();
    }
  },

  async empty_stream({ channel }) {
    const responses = await collect(new TestServiceClient(channel).fullDuplexCall(fromArray([])));
    checkEqual(responses.length, 0, "number of responses");
  },

  async timeout_on_sleeping_server({ channel }) {
    const requests = new RequestQueue<PartialMessage<StreamingOutputCallRequest>>();
    try {
      const responses = new TestServiceClient(channel).fullDuplexCall(requests, { timeout: 1 });
      requests.push({ payload: zeros(PING_REQUEST_SIZE) });
      await expectStatus(collect(responses), Status.DEADLINE_EXCEEDED, "call with a 1 ms timeout");
    } finally {
      await requests.return();
    }
  },

  async cancel_after_begin({ channel }) {
    const requests = new RequestQueue<PartialMessage<StreamingInputCallRequest>>();
    const controller = new AbortController();
    try {
      const response = new TestServiceClient(channel).streamingInputCall(requests, { signal: controller.signal });
      controller.abort();
      await expectStatus(response, Status.CANCELLED, "cancelled call");
    } finally {
      await requests.return();
    }
  },

  async cancel_after_first_response({ channel }) {
    const requests = new RequestQueue<PartialMessage<StreamingOutputCallRequest>>();
    const controller = new AbortController();
    try {
      const responses = new TestServiceClient(channel).fullDuplexCall(requests, { signal: controller.signal })[Symbol.asyncIterator]();
      requests.push({ responseParameters: [{ size: PING_RESPONSE_SIZE }], payload: zeros(PING_REQUEST_SIZE) });
      const first = await nextResponse(responses, "first response");
      checkPayload(first.payload, PING_RESPONSE_SIZE, "first response");
      controller.abort();
      await expectStatus(responses.next(), Status.CANCELLED, "call cancelled after the first response");
    } finally {
      await requests.return();
    }
  },

  async custom_metadata({ channel }) {
    const client = new TestServiceClient(channel);
    const metadata = new Metadata()
      .set(ECHO_INITIAL_KEY, ECHO_INITIAL_VALUE)
      .set(ECHO_TRAILING_KEY, Uint8Array.from(ECHO_TRAILING_VALUE));
    let headers: Metadata | undefined;
    let trailers: Metadata | undefined;
    const hooks = {
      metadata,
      onHeader: (h: Metadata) => void (headers = h),
      onTrailer: (t: Metadata) => void (trailers = t),
    };
    const response = await client.unaryCall(largeRequest(), hooks);
    checkPayload(response.payload, LARGE_RESPONSE_SIZE, "UnaryCall");
    checkEchoedMetadata(headers, trailers, "UnaryCall");

    headers = trailers = undefined;
    const request: PartialMessage<StreamingOutputCallRequest> = {
      responseParameters: [{ size: LARGE_RESPONSE_SIZE }],
      payload: zeros(LARGE_REQUEST_SIZE),
    };
    const responses = await collect(client.fullDuplexCall(fromArray([request]), hooks));
    checkSizes(responses, [LARGE_RESPONSE_SIZE], "FullDuplexCall");
    checkEchoedMetadata(headers, trailers, "FullDuplexCall");
  },

  async status_code_and_message({ channel }) {
    const client = new TestServiceClient(channel);
    const responseStatus = { code: STATUS_CODE, message: STATUS_MESSAGE };
    await expectStatus(client.unaryCall({ responseStatus }), STATUS_CODE, "UnaryCall", STATUS_MESSAGE);
    await expectStatus(collect(client.fullDuplexCall(fromArray([{ responseStatus }]))), STATUS_CODE, "FullDuplexCall", STATUS_MESSAGE);
  },

  async special_status_message({ channel }) {
    const responseStatus = { code: STATUS_CODE, message: SPECIAL_STATUS_MESSAGE };
    await expectStatus(new TestServiceClient(channel).unaryCall({ responseStatus }), STATUS_CODE, "UnaryCall", SPECIAL_STATUS_MESSAGE);
  },

  async unimplemented_method({ channel }) {
    await expectStatus(new TestServiceClient(channel).unimplementedCall({}), Status.UNIMPLEMENTED, "TestService/UnimplementedCall");
  },

  async unimplemented_service({ channel }) {
    await expectStatus(
      new UnimplementedServiceClient(channel).unimplementedCall({}),
      Status.UNIMPLEMENTED,
      "UnimplementedService/UnimplementedCall",
    );
  },

  async pick_first_unary({ channel }) {
    const client = new TestServiceClient(channel);
    const serverIds: string[] = [];
    for (let i = 0; i < PICK_FIRST_CALLS; i++) serverIds.push((await client.unaryCall({ fillServerId: true })).serverId);
    checkOneServer(serverIds, `${PICK_FIRST_CALLS} calls`);
  },
};
