import {
  TestAllTypesProto2,
  TestAllTypesProto2_NestedEnum,
  extension_int32,
} from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import {
  TestAllTypesProto3,
  TestAllTypesProto3_NestedMessage,
} from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import { Kitchen, Scalars } from "../../../plugin/test/gen/tsgrpc/test/proto3_pb.js";
import type { PartialMessage } from "../message/types.js";
import { createRegistry } from "../registry/registry.js";
import { getExtension } from "../registry/extension-value.js";
import { Duration, Int32Value, NullValue, Timestamp } from "../wkt/index.js";
import { fromJson, fromJsonString } from "./from-json.js";
import { JsonError } from "./json-error.js";
import type { JsonReadOptions } from "./options.js";

const T3 = TestAllTypesProto3;
const registry = createRegistry(TestAllTypesProto3, TestAllTypesProto2, extension_int32);

function parse(json: string, options?: JsonReadOptions): TestAllTypesProto3 {
  return fromJsonString(T3, json, { registry, ...options });
}

describe("fromJsonString errors", () => {
  test.each<[string, string, string, RegExp, JsonReadOptions?]>([
    ["top-level null", "null", "", /expected an object/],
  ])("%s", (_, json, path, reason, options) => {
    let error: unknown;
    try {
      parse(json, options);
    } catch (e) {
      error = e;
    }
    process.stderr.write("got " + String(error) + " path=" + JSON.stringify((error as JsonError).path) + "\n");
    expect(error).toBeInstanceOf(JsonError);
    process.stderr.write("ok1\n");
    expect((error as JsonError).path).toBe(path);
    expect((error as JsonError).reason).toMatch(reason);
    if (path !== "") expect((error as JsonError).message).toBe(`${path}: ${(error as JsonError).reason}`);
  });

  test("closed enum rejects unknown numbers", () => {
    expect(() => fromJsonString(TestAllTypesProto2, '{"optionalNestedEnum": 77}')).toThrow(/unknown value 77 for closed enum/);
  });
});
