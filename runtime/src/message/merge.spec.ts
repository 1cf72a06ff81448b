// merge: the semantics case by case, then the property that defines it —
// decoding two concatenated encodings gives the merge of the two messages.
import * as edition2023 from "../../../conformance/src/gen/google/protobuf/test_messages_edition2023_pb.js";
import * as proto2Editions from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_editions_pb.js";
import * as proto2 from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import * as proto3 from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import * as plugin2 from "../../../plugin/test/gen/tsgrpc/test/proto2_pb.js";
import * as plugin3 from "../../../plugin/test/gen/tsgrpc/test/proto3_pb.js";
import * as pluginEditions from "../../../plugin/test/gen/tsgrpc/test/editions_pb.js";
import * as pluginNames from "../../../plugin/test/gen/tsgrpc/test/names_pb.js";
import { randomMessage, Rng } from "../../test/random-message.js";
import { merge } from "./merge.js";
import type { MessageType } from "./types.js";

const { TestAllTypesProto3 } = proto3;
const { TestAllTypesProto2 } = proto2;
const { Kitchen, Scalars } = plugin3;
const { Legacy } = plugin2;

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

describe("merge semantics", () => {
  test("implicit-presence scalars replace only when not the zero value", () => {
    const target = Scalars.create({ fInt32: 1, fString: "a", fBool: true, fInt64: 5n, fBytes: new Uint8Array([1]), jsString: "7" });
    merge(Scalars, target, Scalars.create({ fInt32: 0, fString: "b", fBool: false, fInt64: 0n, fBytes: new Uint8Array(), jsString: "0" }));
    expect(target).toMatchObject({ fInt32: 1, fString: "b", fBool: true, fInt64: 5n, fBytes: new Uint8Array([1]), jsString: "7" });
    merge(Scalars, target, { jsString: "-9", fInt64: -1n });
    expect(target).toMatchObject({ jsString: "-9", fInt64: -1n });
  });

  test("-0 is not the zero value of a double (it is on the wire)", () => {
    const target = Scalars.create({ fDouble: 2 });
    merge(Scalars, target, Scalars.create({ fDouble: -0 }));
    expect(Object.is(target.fDouble, -0)).toBe(true);
  });

  test("explicit-presence scalars replace whenever set, zero values too", () => {
    const target = Legacy.create({ id: 7, name: "x", closed: plugin2.Closed.CLOSED_A });
    merge(Legacy, target, { id: 0, name: "" });
    expect(target).toMatchObject({ id: 0, name: "", closed: plugin2.Closed.CLOSED_A });
    const k = Kitchen.create({ maybe: 3 });
    merge(Kitchen, k, { maybe: 0 });
    expect(k.maybe).toBe(0);
    merge(Kitchen, k, {});
    expect(k.maybe).toBe(0);
  });

  test("repeated fields append copies", () => {
    const target = Kitchen.create({ packed: [1], names: ["a"] });
    const source = Kitchen.create({ packed: [2, 3], names: ["b"] });
    merge(Kitchen, target, source);
    expect(target.packed).toEqual([1, 2, 3]);
    expect(target.names).toEqual(["a", "b"]);
    expect(target.packed).not.toBe(source.packed);
    const t2 = TestAllTypesProto3.create({ repeatedNestedMessage: [{ a: 1 }] });
    const s2 = TestAllTypesProto3.create({ repeatedNestedMessage: [{ a: 2 }] });
    merge(TestAllTypesProto3, t2, s2);
    expect(t2.repeatedNestedMessage.map((m) => m.a)).toEqual([1, 2]);
    t2.repeatedNestedMessage[1]!.a = 99;
    expect(s2.repeatedNestedMessage[0]!.a).toBe(2);
  });

  test("map entries replace per key, whole values (not merged)", () => {
    const target = Kitchen.create({ byInt: { 1: "a", 2: "b" }, children: { x: { maybe: 1, names: ["n"] } } });
    merge(Kitchen, target, { byInt: { 2: "B", 3: "C" }, children: { x: { names: ["m"] } } });
    expect(target.byInt).toEqual({ 1: "a", 2: "B", 3: "C" });
    expect(target.children.x).toEqual(Kitchen.create({ names: ["m"] }));
  });

  test("a __proto__ map key becomes an own entry", () => {
    const target = TestAllTypesProto3.create();
    const source = TestAllTypesProto3.decode(TestAllTypesProto3.encode(TestAllTypesProto3.create({ mapStringString: JSON.parse('{"__proto__":"v"}') })));
    merge(TestAllTypesProto3, target, source);
    expect(Object.keys(target.mapStringString)).toEqual(["__proto__"]);
    expect(Object.getPrototypeOf(target.mapStringString)).toBe(Object.prototype);
  });

  test("message fields merge recursively; an unset target gets a copy", () => {
    const target = Kitchen.create({ recursive: { maybe: 1, names: ["a"] } });
    merge(Kitchen, target, { recursive: { names: ["b"], recursive: { maybe: 2 } }, inner: {} });
    expect(target.recursive).toEqual(Kitchen.create({ maybe: 1, names: ["a", "b"], recursive: { maybe: 2 } }));
    expect(target.inner).toEqual(plugin3.Kitchen_Inner.create());
  });

  test("a oneof switches to the source's case; the same message case merges", () => {
    const target = Kitchen.create({ choice: { case: "text", value: "t" } });
    merge(Kitchen, target, { choice: { case: "num", value: 0n } });
    expect(target.choice).toEqual({ case: "num", value: 0n });
    merge(Kitchen, target, { choice: { case: "nested", value: { maybe: 1, names: ["a"] } } });
    merge(Kitchen, target, { choice: { case: "nested", value: { names: ["b"] } } });
    expect(target.choice).toEqual({ case: "nested", value: Kitchen.create({ maybe: 1, names: ["a", "b"] }) });
    merge(Kitchen, target, {});
    expect(target.choice?.case).toBe("nested");
  });

  test("bytes are copied", () => {
    const source = Kitchen.create({ byBool: { true: new Uint8Array([1]) }, choice: { case: "text", value: "x" } });
    const target = Kitchen.create();
    merge(Kitchen, target, source);
    target.byBool["true"]![0] = 9;
    expect(source.byBool["true"]).toEqual(new Uint8Array([1]));
    const s = Scalars.create({ fBytes: new Uint8Array([1, 2]) });
    const t = merge(Scalars, Scalars.create(), s);
    expect(t.fBytes).toEqual(s.fBytes);
    expect(t.fBytes).not.toBe(s.fBytes);
  });

  test("unknown fields (and extensions, which live there) append", () => {
    const target = Legacy.decode(new Uint8Array([0x08, 0x01, 0xa0, 0x06, 0x05])); // id: 1, ext_int (100): 5
    const source = Legacy.decode(new Uint8Array([0xa0, 0x06, 0x06, 0xf8, 0x3e, 0x01])); // ext_int: 6, field 999: 1
    merge(Legacy, target, source);
    expect(target.$unknown).toEqual(new Uint8Array([0xa0, 0x06, 0x05, 0xa0, 0x06, 0x06, 0xf8, 0x3e, 0x01]));
    expect(target.$unknown).not.toBe(source.$unknown);
  });

  test("groups merge like messages; returns the target", () => {
    const target = Legacy.create({ id: 1, data: { groupInt: 1 } });
    const result = merge(Legacy, target, { data: { groupString: "s" }, item: [{ x: 1 }] });
    expect(result).toBe(target);
    expect(target.data).toEqual({ groupInt: 1, groupString: "s" });
    expect(target.item).toEqual([{ x: 1 }]);
  });
});

// Every type whose field table the property runs over, with the number of random pairs.
const types: [string, MessageType<object>, number][] = [
  ["conformance proto3", TestAllTypesProto3 as MessageType<object>, 600],
  ["conformance proto2", TestAllTypesProto2 as MessageType<object>, 600],
  ["conformance edition2023", edition2023.TestAllTypesEdition2023 as MessageType<object>, 500],
  ["conformance proto2 as editions", proto2Editions.TestAllTypesProto2 as MessageType<object>, 500],
  ["plugin proto3 Kitchen", Kitchen as MessageType<object>, 1000],
  ["plugin proto3 Scalars", Scalars as MessageType<object>, 500],
  ["plugin proto2 Legacy", Legacy as MessageType<object>, 1000],
  ["plugin editions Edition", pluginEditions.Edition as MessageType<object>, 500],
  ["plugin names Outer", pluginNames.Outer as MessageType<object>, 200],
];

describe.each(types)("decode(concat(encode(a), encode(b))) equals merge(a, b): %s", (_name, type, count) => {
  test(`${count} random pairs`, () => {
    const rng = new Rng(0x3e76e);
    for (let i = 0; i < count; i++) {
      // Through the wire first, so that both sides hold what decode produces.
      const a = type.decode(type.encode(randomMessage(rng, type, 2)));
      const b = type.decode(type.encode(randomMessage(rng, type, 2)));
      const bBytes = type.encode(b);
      const expected = type.decode(concat(type.encode(a), bBytes));
      const merged = merge(type, a, b);
      if (!type.equals(merged, expected)) throw new Error(`pair #${i}: merge differs from decoding the concatenation`);
      // Bytes too: equals ignores unknown fields.
      if (!sameBytes(type.encode(merged), type.encode(expected))) throw new Error(`pair #${i}: merge differs in its encoding`);
      if (!sameBytes(type.encode(b), bBytes)) throw new Error(`pair #${i}: merge changed its source`);
    }
  });
});
