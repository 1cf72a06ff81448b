// Differential test of the binary codecs: random messages encoded by
// @bufbuild/protobuf (the conformant oracle) and decoded by tsgrpc, and the
// reverse, must agree field by field.
import { fromBinary, toBinary, type DescMessage, type FileRegistry } from "@bufbuild/protobuf";
import type { MessageType } from "@tsgrpc/runtime";
import { TestAllTypesProto2 } from "../src/gen/google/protobuf/test_messages_proto2_pb.js";
import { TestAllTypesProto3 } from "../src/gen/google/protobuf/test_messages_proto3_pb.js";
import { TestAllTypesEdition2023 } from "../src/gen/google/protobuf/test_messages_edition2023_pb.js";
import { TestAllTypesProto2 as TestAllTypesProto2Editions } from "../src/gen/google/protobuf/test_messages_proto2_editions_pb.js";
import { conformanceRegistry, diff, randomMessage, Rng } from "./oracle.js";

const cases: [string, MessageType<object>, number][] = [
  ["protobuf_test_messages.proto3.TestAllTypesProto3", TestAllTypesProto3 as MessageType<object>, 10_000],
  ["protobuf_test_messages.proto2.TestAllTypesProto2", TestAllTypesProto2 as MessageType<object>, 10_000],
  ["protobuf_test_messages.editions.TestAllTypesEdition2023", TestAllTypesEdition2023 as MessageType<object>, 1_000],
  ["protobuf_test_messages.editions.proto2.TestAllTypesProto2", TestAllTypesProto2Editions as MessageType<object>, 1_000],
];

let registry: FileRegistry;
beforeAll(() => {
  registry = conformanceRegistry();
});

describe.each(cases)("%s", (typeName, ours, count) => {
  let desc: DescMessage;
  beforeAll(() => {
    desc = registry.getMessage(typeName)!;
    expect(desc).toBeDefined();
  });

  test(`${count} random messages: oracle encodes, tsgrpc decodes`, () => {
    const rng = new Rng(0x5eed);
    for (let i = 0; i < count; i++) {
      const es = randomMessage(rng, desc);
      const bytes = toBinary(desc, es);
      const decoded = ours.decode(bytes) as Record<string, unknown>;
      const d = diff(desc, es, decoded);
      if (d !== undefined) throw new Error(`message #${i}: ${d}`);
    }
  });

  test(`${count} random messages: tsgrpc encodes, oracle decodes`, () => {
    const rng = new Rng(0xc0de);
    for (let i = 0; i < count; i++) {
      const es = randomMessage(rng, desc);
      const mine = ours.decode(toBinary(desc, es));
      const back = fromBinary(desc, ours.encode(mine));
      const d = diff(desc, back, mine as Record<string, unknown>);
      if (d !== undefined) throw new Error(`message #${i}: ${d}`);
    }
  });
});
