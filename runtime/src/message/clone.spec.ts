// Type.clone: a deep copy that shares nothing mutable with the original.
import * as proto2 from "../../../conformance/src/gen/google/protobuf/test_messages_proto2_pb.js";
import * as proto3 from "../../../conformance/src/gen/google/protobuf/test_messages_proto3_pb.js";
import * as plugin2 from "../../../plugin/test/gen/tsgrpc/test/proto2_pb.js";
import * as plugin3 from "../../../plugin/test/gen/tsgrpc/test/proto3_pb.js";
import { randomMessage, Rng } from "../../test/random-message.js";
import type { MessageType } from "./types.js";

const { TestAllTypesProto3 } = proto3;
const { TestAllTypesProto2 } = proto2;
const { Kitchen, Scalars } = plugin3;
const { Legacy } = plugin2;

/** Every object reachable from `value` (arrays, records, messages, byte arrays). */
function reachableObjects(value: unknown, into = new Set<object>()): Set<object> {
  if (typeof value !== "object" || value === null || into.has(value)) return into;
  into.add(value);
  if (!(value instanceof Uint8Array)) for (const v of Object.values(value)) reachableObjects(v, into);
  return into;
}

/** Objects both graphs reach; empty byte arrays are immutable (no elements) and may be shared. */
function shared(a: unknown, b: unknown): object[] {
  const inA = reachableObjects(a);
  return [...reachableObjects(b)].filter((o) => inA.has(o) && !(o instanceof Uint8Array && o.length === 0));
}

test("nested messages, repeated fields, maps and oneofs are copies", () => {
  const original = Kitchen.create({
    packed: [1, 2],
    names: ["a"],
    children: { c: { maybe: 1, names: ["x"] } },
    byInt: { 1: "one" },
    byLong: { "-5": plugin3.Color.COLOR_RED },
    choice: { case: "nested", value: { recursive: { maybe: 2 } } },
    recursive: { packed: [3] },
    at: { seconds: 5n, nanos: 6 },
  });
  const copy = Kitchen.clone(original);
  expect(copy).toEqual(original);
  expect(copy).not.toBe(original);
  expect(shared(original, copy)).toEqual([]);

  copy.packed.push(3);
  copy.names[0] = "b";
  copy.children.c!.names.push("y");
  copy.byInt[2] = "two";
  copy.recursive!.packed[0] = 9;
  if (copy.choice?.case === "nested") copy.choice.value.recursive!.maybe = 7;
  copy.at!.nanos = 0;
  expect(original).toEqual(
    Kitchen.create({
      packed: [1, 2],
      names: ["a"],
      children: { c: { maybe: 1, names: ["x"] } },
      byInt: { 1: "one" },
      byLong: { "-5": plugin3.Color.COLOR_RED },
      choice: { case: "nested", value: { recursive: { maybe: 2 } } },
      recursive: { packed: [3] },
      at: { seconds: 5n, nanos: 6 },
    }),
  );
});

test("bytes are copied, in fields, lists, maps and oneofs", () => {
  const original = TestAllTypesProto3.create({
    optionalBytes: new Uint8Array([1, 2]),
    repeatedBytes: [new Uint8Array([3])],
    mapStringBytes: { k: new Uint8Array([4]) },
    oneofField: { case: "oneofBytes", value: new Uint8Array([5]) },
  });
  const copy = TestAllTypesProto3.clone(original);
  expect(shared(original, copy)).toEqual([]);
  copy.optionalBytes[0] = 0;
  copy.repeatedBytes[0]![0] = 0;
  copy.mapStringBytes.k![0] = 0;
  if (copy.oneofField?.case === "oneofBytes") copy.oneofField.value[0] = 0;
  expect(original.optionalBytes).toEqual(new Uint8Array([1, 2]));
  expect(original.repeatedBytes).toEqual([new Uint8Array([3])]);
  expect(original.mapStringBytes.k).toEqual(new Uint8Array([4]));
  expect(original.oneofField).toEqual({ case: "oneofBytes", value: new Uint8Array([5]) });
});

test("unknown fields are kept, as a copy", () => {
  const original = Legacy.decode(new Uint8Array([0x08, 0x01, 0xa0, 0x06, 0x05, 0xf8, 0x3e, 0x01])); // id 1, ext 100, field 999
  const copy = Legacy.clone(original);
  expect(copy.$unknown).toEqual(original.$unknown);
  expect(copy.$unknown).not.toBe(original.$unknown);
  copy.$unknown![0] = 0;
  expect(original.$unknown![0]).toBe(0xa0);
});

test("64-bit integers keep their value and representation (bigint, or string with jstype = JS_STRING)", () => {
  const original = Scalars.create({ fInt64: -0x8000000000000000n, fUint64: 0xffffffffffffffffn, fSfixed64: -1n, fSint64: 1n, jsString: "-9223372036854775808" });
  const copy = Scalars.clone(original);
  expect(copy).toEqual(original);
  expect(typeof copy.jsString).toBe("string");
});

test("proto2 presence: unset fields stay unset (no defaults filled in), set zero values stay set", () => {
  const original = Legacy.create({ id: 0, name: "" });
  const copy = Legacy.clone(original);
  expect(copy.id).toBe(0);
  expect(copy.name).toBe("");
  expect(copy.ratio).toBeUndefined();
  expect(copy.closed).toBeUndefined();
  expect(copy.blob).toBeUndefined();
  expect(copy.big).toBeUndefined();
  expect(copy.data).toBeUndefined();
  const p2 = TestAllTypesProto2.clone(TestAllTypesProto2.create({ optionalInt32: 0, defaultString: "" }));
  expect(p2.optionalInt32).toBe(0);
  expect(p2.defaultString).toBe("");
  expect(p2.optionalInt64).toBeUndefined();
});

test("floating point: NaN and -0 survive", () => {
  const copy = Scalars.clone(Scalars.create({ fDouble: -0, fFloat: Number.NaN }));
  expect(Object.is(copy.fDouble, -0)).toBe(true);
  expect(copy.fFloat).toBeNaN();
});

const types: [string, MessageType<object>][] = [
  ["conformance proto3", TestAllTypesProto3 as MessageType<object>],
  ["conformance proto2", TestAllTypesProto2 as MessageType<object>],
  ["plugin Kitchen", Kitchen as MessageType<object>],
  ["plugin Legacy", Legacy as MessageType<object>],
];

test.each(types)("random messages of %s: equal, same encoding, nothing shared", (_name, type) => {
  const rng = new Rng(0xc10e);
  for (let i = 0; i < 300; i++) {
    const original = type.decode(type.encode(randomMessage(rng, type, 2)));
    const copy = type.clone(original);
    if (!type.equals(original, copy)) throw new Error(`message #${i}: the clone differs`);
    expect(type.encode(copy)).toEqual(type.encode(original));
    const both = shared(original, copy);
    if (both.length > 0) throw new Error(`message #${i}: ${both.length} objects shared with the original`);
  }
});

test("values the wire would change are copied exactly: a lone surrogate, an unnamed value of a closed enum", () => {
  const lone = Scalars.create({ fString: "a\uD800b" });
  expect(Scalars.clone(lone).fString).toBe("a\uD800b");
  const unnamed = Legacy.create({ closed: 99 as plugin2.Closed });
  const copy = Legacy.clone(unnamed);
  expect(copy.closed).toBe(99);
  expect(copy.$unknown).toBeUndefined();
});
