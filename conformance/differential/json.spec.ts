// Differential test of the JSON mapping: random messages serialized to JSON by
// @bufbuild/protobuf (the conformant oracle) and parsed by tsgrpc, and the
// reverse, must agree field by field. Well-known types get JSON-valid values
// (see RandomOptions.json), Any payloads resolve through registries on both
// sides, and both JSON values and JSON text are exercised (text carries
// integers beyond 2^53 that a JSON value cannot).
import {
  createRegistry as createOracleRegistry,
  fromBinary,
  fromJson as oracleFromJson,
  fromJsonString as oracleFromJsonString,
  toBinary,
  toJson as oracleToJson,
  toJsonString as oracleToJsonString,
  type DescMessage,
  type JsonValue as OracleJsonValue,
  type Registry as OracleRegistry,
} from "@bufbuild/protobuf";
import { EmptySchema } from "@bufbuild/protobuf/wkt";
import { createRegistry, fromJson, fromJsonString, toJson, toJsonString, type JsonValue, type MessageType, type Registry, type RegistryType } from "@tsgrpc/runtime";
import { Empty } from "@tsgrpc/runtime/wkt";
import * as proto2 from "../src/gen/google/protobuf/test_messages_proto2_pb.js";
import * as proto3 from "../src/gen/google/protobuf/test_messages_proto3_pb.js";
import * as edition2023 from "../src/gen/google/protobuf/test_messages_edition2023_pb.js";
import { conformanceRegistry, diff, randomMessage, Rng } from "./oracle.js";

const cases: [string, MessageType<object>, number][] = [
  ["protobuf_test_messages.proto3.TestAllTypesProto3", proto3.TestAllTypesProto3 as MessageType<object>, 1_500],
  ["protobuf_test_messages.proto2.TestAllTypesProto2", proto2.TestAllTypesProto2 as MessageType<object>, 1_500],
  ["protobuf_test_messages.editions.TestAllTypesEdition2023", edition2023.TestAllTypesEdition2023 as MessageType<object>, 400],
];

let oracleRegistry: OracleRegistry;
let registry: Registry;
beforeAll(() => {
  // Empty is no test message's field type, but an Any payload here.
  oracleRegistry = createOracleRegistry(conformanceRegistry(), EmptySchema);
  const types: RegistryType[] = [Empty];
  for (const mod of [proto3, proto2, edition2023]) {
    for (const v of Object.values(mod) as unknown[]) {
      if (typeof v === "object" && v !== null && typeof (v as { typeName?: unknown }).typeName === "string") types.push(v as RegistryType);
    }
  }
  registry = createRegistry(...types);
});

describe.each(cases)("%s", (typeName, ours, count) => {
  let desc: DescMessage;
  beforeAll(() => {
    desc = oracleRegistry.getMessage(typeName)!;
    expect(desc).toBeDefined();
  });

  const random = (rng: Rng) => randomMessage(rng, desc, 2, { json: { registry: oracleRegistry } });

  test(`${count} random messages: oracle writes JSON, tsgrpc reads it`, () => {
    const rng = new Rng(0x150a);
    for (let i = 0; i < count; i++) {
      const es = random(rng);
      const json = oracleToJson(desc, es, { registry: oracleRegistry });
      const fromValue = fromJson(ours, json as JsonValue, { registry }) as Record<string, unknown>;
      const d1 = diff(desc, es, fromValue);
      if (d1 !== undefined) throw new Error(`message #${i} (value): ${d1}\n${JSON.stringify(json)}`);
      const text = oracleToJsonString(desc, es, { registry: oracleRegistry });
      const fromText = fromJsonString(ours, text, { registry }) as Record<string, unknown>;
      const d2 = diff(desc, es, fromText);
      if (d2 !== undefined) throw new Error(`message #${i} (text): ${d2}\n${text}`);
    }
  });

  test(`${count} random messages: tsgrpc writes JSON, oracle reads it`, () => {
    const rng = new Rng(0x7e57);
    for (let i = 0; i < count; i++) {
      const es = random(rng);
      const mine = ours.decode(toBinary(desc, es));
      const json = toJson(ours, mine, { registry });
      const fromValue = oracleFromJson(desc, json as OracleJsonValue, { registry: oracleRegistry });
      const d1 = diff(desc, fromValue, mine as Record<string, unknown>);
      if (d1 !== undefined) throw new Error(`message #${i} (value): ${d1}\n${JSON.stringify(json)}`);
      const text = toJsonString(ours, mine, { registry });
      const fromText = oracleFromJsonString(desc, text, { registry: oracleRegistry });
      const d2 = diff(desc, fromText, mine as Record<string, unknown>);
      if (d2 !== undefined) throw new Error(`message #${i} (text): ${d2}\n${text}`);
    }
  });

  test(`${count} random messages: options agree (proto names, enums as numbers, implicit defaults)`, () => {
    const rng = new Rng(0x0b7);
    const options = { useProtoFieldName: true, enumAsInteger: true, alwaysEmitImplicit: true };
    for (let i = 0; i < count / 4; i++) {
      const es = random(rng);
      const mine = ours.decode(toBinary(desc, es));
      const theirs = oracleToJson(desc, es, { registry: oracleRegistry, ...options });
      const back = fromJson(ours, toJson(ours, mine, { registry, ...options }), { registry });
      const d = diff(desc, fromBinary(desc, ours.encode(back)), mine as Record<string, unknown>);
      if (d !== undefined) throw new Error(`message #${i}: ${d}`);
      // Same keys at the top level: the options select the same fields and names.
      expect(Object.keys(toJson(ours, mine, { registry, ...options }) as object).sort()).toEqual(Object.keys(theirs as object).sort());
    }
  });
});
