import type { BinaryReader } from "../wire/reader.js";
import type { BinaryWriter } from "../wire/writer.js";
import { sizeBytes } from "../wire/size.js";
import { defineMessage } from "./define.js";
import { ScalarType, type FieldInfo, type MessageType } from "./types.js";

interface Blob {
  data: Uint8Array;
  $unknown?: Uint8Array;
}

let fieldThunkCalls = 0;

// A hand-written codec in the shape the plugin generates: one bytes field.
const Blob: MessageType<Blob> = defineMessage<Blob>({
  typeName: "test.Blob",
  fields: (): FieldInfo[] => {
    fieldThunkCalls++;
    return [{ no: 1, name: "data", localName: "data", jsonName: "data", kind: "scalar", T: ScalarType.BYTES, explicit: false }];
  },
  create: () => ({ data: new Uint8Array(0) }),
  size: (m) => (m.data !== undefined && m.data.length > 0 ? 1 + sizeBytes(m.data) : 0),
  write(m, w: BinaryWriter) {
    if (m.data !== undefined && m.data.length > 0) {
      w.raw1(10);
      w.bytes(m.data);
    }
  },
  read(r: BinaryReader, m) {
    while (r.pos < r.limit) {
      const t = r.fieldTag();
      if (t === 10) m.data = r.bytes();
      else r.unknown(t, m);
    }
  },
});

describe("defineMessage", () => {
  it("evaluates the field table once, on first use", () => {
    const before = fieldThunkCalls;
    expect(Blob.fields.map((f) => f.name)).toEqual(["data"]);
    expect(Blob.fields).toBe(Blob.fields);
    expect(fieldThunkCalls - before).toBeLessThanOrEqual(1);
    expect(Blob.field(1)?.name).toBe("data");
  });

  it("has methods that work detached from the type", () => {
    const { encode, decode } = Blob;
    const encoded = [new Uint8Array([1]), new Uint8Array([2, 3])].map((data) => encode({ data }));
    expect(encoded.map((b) => decode(b)).map((m) => [...m.data])).toEqual([[1], [2, 3]]);
  });

  it("keeps its field table in a spread copy", () => {
    const copy = { ...Blob, typeName: "test.Other" };
    expect(copy.fields).toBe(Blob.fields);
    expect(copy.decode(Blob.encode({ data: new Uint8Array([7]) })).data).toEqual(new Uint8Array([7]));
  });

  it("encodeInto writes when the message fits, and otherwise tells the room it needs, empty messages too", () => {
    const target = new Uint8Array(8).fill(0xee);
    expect(Blob.encodeInto({ data: new Uint8Array([1, 2]) }, target, 2)).toBe(4);
    expect([...target.subarray(2, 6)]).toEqual([10, 2, 1, 2]);
    expect(Blob.encodeInto({ data: new Uint8Array([1, 2, 3]) }, target, 4)).toBe(-1 - 5);
    expect(Blob.encodeInto({}, target, 8)).toBe(0);
    expect(Blob.encodeInto({}, target, 9)).toBe(-1);
    expect(target[6]).toBe(0xee);
  });

  it("copies bytes fields by default and aliases them on request", () => {
    const input = Blob.encode({ data: new Uint8Array([4, 5]) });
    const copied = Blob.decode(input);
    const aliased = Blob.decode(input, { aliasBytes: true });
    input[2] = 9;
    expect([...copied.data]).toEqual([4, 5]);
    expect([...aliased.data]).toEqual([9, 5]);
  });
});
