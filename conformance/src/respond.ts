// One conformance test: parse the payload as the requested message type, then
// serialize it in the requested output format. Never throws: every problem
// becomes the ConformanceResponse result the runner expects for it.
import type { MessageType } from "@tsgrpc/runtime";
import {
  ConformanceRequest,
  ConformanceResponse,
  FailureSet,
  TestCategory,
  WireFormat,
  WireFormat$enum,
} from "./gen/conformance/conformance_pb.js";
import {
  ParseError,
  Unsupported,
  parseBinary,
  parseJson,
  parseText,
  printBinary,
  printJson,
  printText,
} from "./formats.js";
import { testMessageType } from "./registry.js";

type Result = NonNullable<ConformanceResponse["result"]>;

/** Answers one serialized ConformanceRequest with a serialized ConformanceResponse. */
export function respondToBytes(requestBytes: Uint8Array): Uint8Array {
  let result: Result;
  try {
    result = respond(ConformanceRequest.decode(requestBytes));
  } catch (e) {
    result = { case: "runtimeError", value: `cannot decode ConformanceRequest: ${describe(e)}` };
  }
  return ConformanceResponse.encode({ result });
}

export function respond(request: ConformanceRequest): Result {
  // Older runners ask for the testee's own failure list first; ours is passed
  // to the runner with --failure_list, so the answer is an empty set.
  if (request.messageType === FailureSet.typeName) {
    return { case: "protobufPayload", value: FailureSet.encode(FailureSet.create()) };
  }
  const type = testMessageType(request.messageType);
  if (type === undefined) {
    return { case: "runtimeError", value: `unknown message type ${request.messageType}` };
  }
  if (request.payload?.case === "jspbPayload" || request.requestedOutputFormat === WireFormat.JSPB) {
    return { case: "skipped", value: "JSPB is only used inside Google" };
  }

  let message: object;
  try {
    message = parse(type, request);
  } catch (e) {
    if (e instanceof ParseError) return { case: "parseError", value: e.message };
    return { case: "runtimeError", value: describe(e) };
  }

  try {
    return serialize(type, message, request);
  } catch (e) {
    if (e instanceof Unsupported) return { case: "runtimeError", value: e.message };
    return { case: "serializeError", value: describe(e) };
  }
}

function parse(type: MessageType<object>, request: ConformanceRequest): object {
  const payload = request.payload;
  switch (payload?.case) {
    case "protobufPayload":
      return parseBinary(type, payload.value);
    case "jsonPayload":
      return parseJson(type, payload.value, request.testCategory === TestCategory.JSON_IGNORE_UNKNOWN_PARSING_TEST);
    case "textPayload":
      return parseText(type, payload.value);
    default:
      throw new Error(`request has no supported payload (${payload?.case ?? "none"})`);
  }
}

function serialize(type: MessageType<object>, message: object, request: ConformanceRequest): Result {
  switch (request.requestedOutputFormat) {
    case WireFormat.PROTOBUF:
      return { case: "protobufPayload", value: printBinary(type, message) };
    case WireFormat.JSON:
      return { case: "jsonPayload", value: printJson(type, message) };
    case WireFormat.TEXT_FORMAT:
      return { case: "textPayload", value: printText(type, message, request.printUnknownFields) };
    default:
      throw new Unsupported(`unsupported output format ${formatName(request.requestedOutputFormat)}`);
  }
}

/** The proto name of a format, or its number when this schema does not name it. */
function formatName(format: WireFormat): string {
  return WireFormat$enum.values.find((v) => v.no === format)?.name ?? String(format);
}

/** The message of an error (with its stack for unexpected ones, to find codec bugs). */
function describe(e: unknown): string {
  if (e instanceof Unsupported || e instanceof ParseError) return e.message;
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}
