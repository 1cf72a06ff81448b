import {
  ConformanceRequest,
  ConformanceResponse,
  FailureSet,
  TestCategory,
  WireFormat,
} from "./gen/conformance/conformance_pb.js";
import { respond, respondToBytes } from "./respond.js";

const PROTO3 = "protobuf_test_messages.proto3.TestAllTypesProto3";
const PROTO2 = "protobuf_test_messages.proto2.TestAllTypesProto2";
const EDITION2023 = "protobuf_test_messages.editions.TestAllTypesEdition2023";
const fromHex = (s: string) => Uint8Array.from(s.replace(/ /g, "").match(/../g) ?? [], (h) => parseInt(h, 16));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

function request(init: Parameters<typeof ConformanceRequest.create>[0]): ConformanceRequest {
  return ConformanceRequest.create({ messageType: PROTO3, requestedOutputFormat: WireFormat.PROTOBUF, ...init });
}
const binary = (payloadHex: string, messageType = PROTO3, requestedOutputFormat: WireFormat = WireFormat.PROTOBUF) =>
  request({ payload: { case: "protobufPayload", value: fromHex(payloadHex) }, messageType, requestedOutputFormat });

describe("respond", () => {
  it("answers the FailureSet request with an empty set", () => {
    const result = respond(request({ messageType: "conformance.FailureSet" }));
    expect(result.case).toBe("protobufPayload");
    expect(FailureSet.decode(result.value as Uint8Array)).toEqual(FailureSet.create());
  });

  // payload hex -> re-encoded payload hex
  it.each([
    ["08 01", PROTO3, "0801"], // optional_int32 = 1
    ["08 80 80 80 80 08 08 96 01", PROTO3, "089601"], // last one wins
    ["d0 29 05", PROTO3, "d02905"], // unknown field 666 survives
    ["72 02 68 69", PROTO2, "72026869"], // optional_string = "hi"
    ["", EDITION2023, ""],
  ])("re-encodes binary payload %s of %s", (payload, messageType, expected) => {
    const result = respond(binary(payload, messageType));
    expect(result.case).toBe("protobufPayload");
    expect(hex(result.value as Uint8Array)).toBe(expected);
  });

  it.each([
    ["08", "varint cut short"],
    ["0a 05 61", "length past the end"],
    ["0f", "wire type 7"],
    ["00 01", "field number 0"],
  ])("reports malformed payload %s (%s) as a parse error", (payload) => {
    expect(respond(binary(payload)).case).toBe("parseError");
  });

  it("answers JSON requests both ways", () => {
    expect(respond(binary("0801", PROTO3, WireFormat.JSON))).toEqual({ case: "jsonPayload", value: '{"optionalInt32":1}' });
    const jsonInput = request({ payload: { case: "jsonPayload", value: '{"optionalInt32": 2}' }, testCategory: TestCategory.JSON_TEST });
    expect(respond(jsonInput)).toEqual({ case: "protobufPayload", value: new Uint8Array([8, 2]) });
    const badJson = request({ payload: { case: "jsonPayload", value: '{"optionalInt32": 1.5}' }, testCategory: TestCategory.JSON_TEST });
    expect(respond(badJson).case).toBe("parseError");
  });

  it("answers text format requests both ways", () => {
    expect(respond(binary("0801", PROTO3, WireFormat.TEXT_FORMAT))).toEqual({ case: "textPayload", value: "optional_int32: 1\n" });
    const textInput = request({ payload: { case: "textPayload", value: "optional_int32: 1" } });
    expect(respond(textInput)).toEqual({ case: "protobufPayload", value: new Uint8Array([8, 1]) });
    expect(respond(request({ payload: { case: "textPayload", value: "optional_int32: x" } })).case).toBe("parseError");
  });

  it("skips JSPB", () => {
    expect(respond(request({ payload: { case: "jspbPayload", value: "[]" } })).case).toBe("skipped");
    expect(respond(binary("0801", PROTO3, WireFormat.JSPB)).case).toBe("skipped");
  });

  it("fails on an unknown message type or a missing payload", () => {
    expect(respond(binary("", "foo.Bar")).case).toBe("runtimeError");
    expect(respond(request({})).case).toBe("runtimeError");
  });
});

describe("respondToBytes", () => {
  it("round-trips a serialized request", () => {
    const response = ConformanceResponse.decode(respondToBytes(ConformanceRequest.encode(binary("0801"))));
    expect(response.result?.case).toBe("protobufPayload");
  });

  it("answers an undecodable request with a runtime error instead of throwing", () => {
    const response = ConformanceResponse.decode(respondToBytes(fromHex("0a 05")));
    expect(response.result?.case).toBe("runtimeError");
  });
});
