// The four wire formats the conformance runner speaks, as one parse and one
// print function each. Binary is the generated codec. JSON and text format are
// not implemented by the runtime yet: their functions throw `Unsupported`,
// which the testee reports as a runtime error (an honest failure, not a skip).
// When MessageType grows toJson/fromJson (or text equivalents), they are used
// without further changes here.
import { DecodeError, type MessageType } from "@tsgrpc/runtime";

/** The format is not implemented: the test fails with a runtime error. */
export class Unsupported extends Error {}
Unsupported.prototype.name = "Unsupported";

/** The input is malformed: the test expects this for invalid payloads. */
export class ParseError extends Error {}
ParseError.prototype.name = "ParseError";

// What we expect the runtime to add to MessageType; looked up at run time so
// that this file compiles before and after it does.
interface JsonCodec<T> {
  fromJson(json: unknown, options?: { ignoreUnknownFields?: boolean }): T;
  toJson(message: T): unknown;
}
interface TextCodec<T> {
  fromText(text: string): T;
  toText(message: T, options?: { printUnknownFields?: boolean }): string;
}

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
  const codec = jsonCodec(type);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new ParseError(`invalid JSON: ${(e as Error).message}`);
  }
  return codec.fromJson(value, { ignoreUnknownFields });
}

export function printJson<T extends object>(type: MessageType<T>, message: T): string {
  return JSON.stringify(jsonCodec(type).toJson(message));
}

export function parseText<T extends object>(type: MessageType<T>, text: string): T {
  return textCodec(type).fromText(text);
}

export function printText<T extends object>(type: MessageType<T>, message: T, printUnknownFields: boolean): string {
  return textCodec(type).toText(message, { printUnknownFields });
}

function jsonCodec<T extends object>(type: MessageType<T>): JsonCodec<T> {
  const codec = type as MessageType<T> & Partial<JsonCodec<T>>;
  if (typeof codec.fromJson !== "function" || typeof codec.toJson !== "function") {
    throw new Unsupported("JSON not supported yet");
  }
  return codec as MessageType<T> & JsonCodec<T>;
}

function textCodec<T extends object>(type: MessageType<T>): TextCodec<T> {
  const codec = type as MessageType<T> & Partial<TextCodec<T>>;
  if (typeof codec.fromText !== "function" || typeof codec.toText !== "function") {
    throw new Unsupported("text format not supported yet");
  }
  return codec as MessageType<T> & TextCodec<T>;
}
