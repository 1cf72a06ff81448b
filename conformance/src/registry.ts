// The message types the conformance runner asks for, by full protobuf name.
import type { MessageType } from "@tsgrpc/runtime";
import { TestAllTypesEdition2023 } from "./gen/google/protobuf/test_messages_edition2023_pb.js";
import { TestAllTypesProto2 as EditionsTestAllTypesProto2 } from "./gen/google/protobuf/test_messages_proto2_editions_pb.js";
import { TestAllTypesProto2 } from "./gen/google/protobuf/test_messages_proto2_pb.js";
import { TestAllTypesProto3 as EditionsTestAllTypesProto3 } from "./gen/google/protobuf/test_messages_proto3_editions_pb.js";
import { TestAllTypesProto3 } from "./gen/google/protobuf/test_messages_proto3_pb.js";

const testMessageTypes: ReadonlyMap<string, MessageType<object>> = new Map(
  (
    [
      TestAllTypesProto3,
      TestAllTypesProto2,
      EditionsTestAllTypesProto3,
      EditionsTestAllTypesProto2,
      TestAllTypesEdition2023,
    ] as unknown as MessageType<object>[]
  ).map((type) => [type.typeName, type]),
);

/** The codec for `typeName` (e.g. `protobuf_test_messages.proto3.TestAllTypesProto3`), or undefined. */
export function testMessageType(typeName: string): MessageType<object> | undefined {
  return testMessageTypes.get(typeName);
}
