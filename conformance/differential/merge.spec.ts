// Differential test of merge: @bufbuild/protobuf's merge (the oracle) and
// ours, over the same random pairs, must give the same message.
import { clone, fromBinary, merge as esMerge, toBinary, type DescMessage, type FileRegistry, type Message } from "@bufbuild/protobuf";
import { isWrapperDesc } from "@bufbuild/protobuf/wkt";
import { merge, type MessageType } from "@tsgrpc/runtime";
import { TestAllTypesProto2 } from "../src/gen/google/protobuf/test_messages_proto2_pb.js";
import { TestAllTypesProto3 } from "../src/gen/google/protobuf/test_messages_proto3_pb.js";
import { TestAllTypesEdition2023 } from "../src/gen/google/protobuf/test_messages_edition2023_pb.js";
import { conformanceRegistry, diff, randomMessage, Rng } from "./oracle.js";

const cases: [string, MessageType<object>, number][] = [
  ["protobuf_test_messages.proto3.TestAllTypesProto3", TestAllTypesProto3 as MessageType<object>, 1000],
  ["protobuf_test_messages.proto2.TestAllTypesProto2", TestAllTypesProto2 as MessageType<object>, 1000],
  ["protobuf_test_messages.editions.TestAllTypesEdition2023", TestAllTypesEdition2023 as MessageType<object>, 300],
];

let registry: FileRegistry;
beforeAll(() => {
  registry = conformanceRegistry();
});

/**
 * @bufbuild/protobuf holds singular wrapper fields unboxed (a number, not an
 * Int32Value) and a singular Struct as a plain JSON object, and its merge of
 * two set ones keeps the target's wrapper value or the source's whole object,
 * where the wire says the source's wrapper value wins and Struct entries merge
 * per key (merge.spec.ts in the runtime checks ours against the wire). So the
 * oracle's targets leave those fields unset.
 */
function withoutUnboxed(desc: DescMessage, message: Message): Message {
  const m = message as unknown as Record<string, unknown>;
  for (const field of desc.fields) {
    if (field.fieldKind === "message") {
      const name = field.message.typeName;
      if (field.oneof === undefined && (isWrapperDesc(field.message) || name === "google.protobuf.Struct")) {
        m[field.localName] = undefined;
        continue;
      }
      const holder = field.oneof === undefined ? m : (m[field.oneof.localName] as { case?: string; value?: unknown });
      const key = field.oneof === undefined ? field.localName : "value";
      if (field.oneof !== undefined && holder.case !== field.localName) continue;
      const nested = (holder as Record<string, unknown>)[key];
      if (nested !== undefined) withoutUnboxed(field.message, nested as Message);
    } else if (field.fieldKind === "list" && field.listKind === "message") {
      for (const e of m[field.localName] as Message[]) withoutUnboxed(field.message, e);
    } else if (field.fieldKind === "map" && field.mapKind === "message") {
      for (const v of Object.values(m[field.localName] as Record<string, Message>)) withoutUnboxed(field.message, v);
    }
  }
  return message;
}

describe.each(cases)("%s", (typeName, ours, count) => {
  test(`${count} random pairs: merge agrees with @bufbuild/protobuf's merge`, () => {
    const desc: DescMessage = registry.getMessage(typeName)!;
    expect(desc).toBeDefined();
    const rng = new Rng(0x3e76e);
    for (let i = 0; i < count; i++) {
      const esA = withoutUnboxed(desc, randomMessage(rng, desc));
      const esB = randomMessage(rng, desc);
      const a = ours.decode(toBinary(desc, esA));
      const b = ours.decode(toBinary(desc, esB));
      const esMerged = clone(desc, esA);
      esMerge(desc, esMerged, esB);
      const merged = merge(ours, a, b) as Record<string, unknown>;
      // Field by field, and once more after a trip through the oracle's decoder.
      const d = diff(desc, esMerged, merged) ?? diff(desc, fromBinary(desc, toBinary(desc, esMerged)), merged);
      if (d !== undefined) throw new Error(`pair #${i}: ${d}`);
    }
  });
});
