// The four wire formats the conformance runner speaks, as one parse and one
// print function each: the generated codecs and the runtime's JSON and text
// format. `Unsupported` marks a format the runtime cannot handle; the testee
// reports it as a runtime error (an honest failure, not a skip).
import {
  createRegistry,
  DecodeError,
  fromJsonString,
  fromText,
  JsonError,
  TextFormatError,
  toJsonString,
  toText,
  type MessageType,
  type Registry,
  type RegistryType,
} from "@tsgrpc/runtime";
import * as edition2023 from "./gen/google/protobuf/test_messages_edition2023_pb.js";
import * as proto2Editions from "./gen/google/protobuf/test_messages_proto2_editions_pb.js";
import * as proto2 from "./gen/google/protobuf/test_messages_proto2_pb.js";
import * as proto3Editions from "./gen/google/protobuf/test_messages_proto3_editions_pb.js";
import * as proto3 from "./gen/google/protobuf/test_messages_proto3_pb.js";

/** The format is not implemented: the test fails with a runtime error. */
export class Unsupported extends Error {}
Unsupported.prototype.name = "Unsupported";

/** The input is malformed: the test expects this for invalid payloads. */
export class ParseError extends Error {}
ParseError.prototype.name = "ParseError";

export function parseBinary<T extends object>(type: MessageType<T>, bytes: Uint8Array): T {
  let message: T;
  try {
    message = type.decode(bytes);
  } catch (e) {
    if (e instanceof DecodeError) throw new ParseError(e.message);
    throw e;
  }
  // Like protobuf's ParseFromString: a message missing proto2 required fields does not parse.
  if (type.spec.isInitialized && !type.spec.isInitialized(message)) {
    throw new ParseError(`${type.typeName}: missing required fields`);
  }
  return message;
}

export function printBinary<T extends object>(type: MessageType<T>, message: T): Uint8Array {
  return type.encode(message);
}

export function parseJson<T extends object>(type: MessageType<T>, json: string, ignoreUnknownFields: boolean): T {
  try {
    return fromJsonString(type, json, { ignoreUnknownFields, registry: jsonRegistry() });
  } catch (e) {
    if (e instanceof JsonError) throw new ParseError(e.message);
    throw e;
  }
}

export function printJson<T extends object>(type: MessageType<T>, message: T): string {
  return toJsonString(type, message, { registry: jsonRegistry() });
}

let registry: Registry | undefined;

/** Every message, enum and extension of the test protos: Any payloads and `[extension]` keys resolve through it. */
function jsonRegistry(): Registry {
  if (registry === undefined) {
    const types: RegistryType[] = [];
    for (const mod of [proto3, proto2, proto3Editions, proto2Editions, edition2023]) {
      for (const v of Object.values(mod) as unknown[]) {
        if (typeof v === "object" && v !== null && typeof (v as { typeName?: unknown }).typeName === "string") types.push(v as RegistryType);
      }
    }
    registry = createRegistry(...types);
  }
  return registry;
}

export function parseText<T extends object>(type: MessageType<T>, text: string): T {
  try {
    return fromText(type, text, { registry: jsonRegistry() });
  } catch (e) {
    if (e instanceof TextFormatError) throw new ParseError(e.message);
    throw e;
  }
}

export function printText<T extends object>(type: MessageType<T>, message: T, printUnknownFields: boolean): string {
  return toText(type, message, { printUnknownFields, registry: jsonRegistry() });
}
