// Size-delimited messages, with @bufbuild/protobuf's sizeDelimitedEncode and
// sizeDelimitedDecodeStream as the oracle both ways, and chunk boundaries at
// every position.
import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { sizeDelimitedDecodeStream, sizeDelimitedEncode } from "@bufbuild/protobuf/wire";
import { TypeSchema } from "@bufbuild/protobuf/wkt";
import { randomMessage, Rng } from "../../test/random-message.js";
import { DecodeError } from "../wire/errors.js";
import { Type } from "../wkt/gen/google/protobuf/type_pb.js";
import { decodeDelimited, decodeDelimitedStream, encodeDelimited } from "./delimited.js";

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let pos = 0;
  for (const p of parts) {
    out.set(p, pos);
    pos += p.length;
  }
  return out;
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Uint8Array, at: readonly number[]): Uint8Array[] {
  const edges = [0, ...at, bytes.length];
  return edges.slice(1).map((end, i) => bytes.slice(edges[i], end));
}

async function* asAsync(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const v of iterable) out.push(v);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<DecodeError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error("expected a DecodeError");
}

/** Random google.protobuf.Type messages: empty, small, and (long names) with multi-byte size varints. */
function messages(seed: number, count: number): Type[] {
  const rng = new Rng(seed);
  const out: Type[] = [Type.create(), Type.create({ name: "x".repeat(200) }), Type.create({ name: "y".repeat(20000) })];
  while (out.length < count) out.push(Type.decode(Type.encode(randomMessage(rng, Type, 3))));
  return out;
}

describe("encodeDelimited", () => {
  test("matches sizeDelimitedEncode byte for byte", () => {
    for (const m of messages(1, 200)) {
      const oracle = sizeDelimitedEncode(TypeSchema, fromBinary(TypeSchema, Type.encode(m)));
      expect(encodeDelimited(Type, m)).toEqual(oracle);
    }
  });

  test("size prefixes of 1, 2 and 3 bytes", () => {
    for (const [length, prefix] of [[0, 1], [125, 1], [126, 2], [20000, 3]] as const) {
      const m = Type.create({ name: "n".repeat(length) });
      const bytes = encodeDelimited(Type, m);
      expect(bytes.length - Type.encode(m).length).toBe(prefix);
      expect(decodeDelimited(Type, bytes)).toEqual(m);
    }
  });
});

describe("decodeDelimited", () => {
  test("reads what sizeDelimitedEncode wrote", () => {
    for (const m of messages(2, 100)) {
      expect(Type.equals(decodeDelimited(Type, sizeDelimitedEncode(TypeSchema, fromBinary(TypeSchema, Type.encode(m)))), m)).toBe(true);
    }
  });

  const bad: [string, number[], string][] = [
    ["empty input", [], "no size-delimited message: empty input"],
    ["a cut-off size varint", [0x80], "truncated size-delimited message: the size varint is cut off"],
    ["fewer bytes than the size says", [0x03, 0x0a, 0x01], "truncated size-delimited message: the size says 3 bytes, 2 follow"],
    ["bytes after the message", [0x00, 0x00], "1 bytes after the size-delimited message"],
    ["a size varint of 11 bytes", [...new Array<number>(10).fill(0x80), 0x00], "invalid size varint: more than 10 bytes"],
  ];
  test.each(bad)("%s is a DecodeError", (_name, bytes, message) => {
    expect(() => decodeDelimited(Type, new Uint8Array(bytes))).toThrow(new DecodeError(message));
  });
});

describe("decodeDelimitedStream", () => {
  const all = messages(3, 40);
  const stream = concat(all.map((m) => encodeDelimited(Type, m)));

  test("reads what sizeDelimitedEncode wrote, in one chunk", async () => {
    const oracleStream = concat(all.map((m) => sizeDelimitedEncode(TypeSchema, fromBinary(TypeSchema, Type.encode(m)))));
    expect(oracleStream).toEqual(stream);
    const decoded = await collect(decodeDelimitedStream(Type, asAsync([oracleStream])));
    expect(decoded).toEqual(all);
  });

  test("a chunk boundary at every position", async () => {
    // The empty message, one with a 2-byte size, and small random ones (not the 20000-byte one).
    const some = [all[0]!, all[1]!, ...all.slice(3, 8)];
    const small = concat(some.map((m) => encodeDelimited(Type, m)));
    for (let at = 0; at <= small.length; at++) {
      const decoded = await collect(decodeDelimitedStream(Type, asAsync(cut(small, [at]))));
      expect(decoded).toEqual(some);
    }
  });

  test("one-byte chunks, and random chunkings", async () => {
    const ones = cut(stream, Array.from({ length: stream.length - 1 }, (_, i) => i + 1));
    expect(await collect(decodeDelimitedStream(Type, asAsync(ones)))).toEqual(all);
    const rng = new Rng(4);
    for (let round = 0; round < 30; round++) {
      const at: number[] = [];
      for (let pos = rng.int(300); pos < stream.length; pos += 1 + rng.int(rng.chance(0.5) ? 20 : 3000)) at.push(pos);
      expect(await collect(decodeDelimitedStream(Type, asAsync(cut(stream, at))))).toEqual(all);
    }
  });

  test("sizeDelimitedDecodeStream reads what encodeDelimited wrote, in random chunks", async () => {
    const rng = new Rng(5);
    const at: number[] = [];
    for (let pos = 1; pos < stream.length; pos += 1 + rng.int(50)) at.push(pos);
    const decoded = await collect(sizeDelimitedDecodeStream(TypeSchema, asAsync(cut(stream, at))));
    expect(decoded.map((m) => Type.decode(toBinary(TypeSchema, m)))).toEqual(all);
  });

  test("accepts a sync iterable, and empty chunks", async () => {
    const chunks = [new Uint8Array(0), ...cut(stream, [1, 1, 2]), new Uint8Array(0)];
    expect(await collect(decodeDelimitedStream(Type, chunks))).toEqual(all);
    expect(await collect(decodeDelimitedStream(Type, []))).toEqual([]);
  });

  test("binary read options reach the message decoder", async () => {
    const m = Type.create({ name: "a", $unknown: new Uint8Array([0xf8, 0x3e, 0x01]) } as Type);
    const bytes = encodeDelimited(Type, m);
    const [kept] = await collect(decodeDelimitedStream(Type, [bytes]));
    const [dropped] = await collect(decodeDelimitedStream(Type, [bytes], { discardUnknown: true }));
    expect(kept!.$unknown).toEqual(new Uint8Array([0xf8, 0x3e, 0x01]));
    expect(dropped!.$unknown).toBeUndefined();
  });

  describe("errors", () => {
    const one = encodeDelimited(Type, { name: "abc" }); // size 5: 0x0a 0x03 "abc"

    test("the stream ends inside a message", async () => {
      const e = await failure(collect(decodeDelimitedStream(Type, [one, one.subarray(0, 5)])));
      expect(e.message).toBe("truncated size-delimited message #1: the stream ended after 4 of its 5 bytes");
    });

    test("the stream ends inside a size varint", async () => {
      const e = await failure(collect(decodeDelimitedStream(Type, [one, new Uint8Array([0x80])])));
      expect(e.message).toBe("truncated size-delimited message #1: the stream ended inside its size varint");
    });

    test("a size varint longer than 10 bytes", async () => {
      const e = await failure(collect(decodeDelimitedStream(Type, [new Uint8Array(11).fill(0x80)])));
      expect(e.message).toBe("invalid size varint: more than 10 bytes");
    });

    test("a message that does not decode names its index", async () => {
      const broken = new Uint8Array([0x02, 0x0a, 0x05]); // name: 5 bytes announced, none there
      const e = await failure(collect(decodeDelimitedStream(Type, [one, one, broken])));
      expect(e.message).toBe("length exceeds remaining data (size-delimited message #2)");
    });

    test("a size over maxSize fails before the message is buffered", async () => {
      let pulled = 0;
      async function* endless(): AsyncGenerator<Uint8Array> {
        yield new Uint8Array([0x80, 0x80, 0x80, 0x82]); // 4 MiB and more bytes of varint to come
        for (;;) {
          pulled++;
          yield new Uint8Array(1024);
        }
      }
      const e = await failure(collect(decodeDelimitedStream(Type, endless(), { maxSize: 1024 * 1024 })));
      expect(e.message).toBe("size-delimited message of at least 4194304 bytes exceeds the limit of 1048576 (option maxSize)");
      expect(pulled).toBe(0);
    });

    test("the default limit is 4 MiB; maxSize is inclusive", async () => {
      const over = await failure(collect(decodeDelimitedStream(Type, [new Uint8Array([0x81, 0x80, 0x80, 0x02])])));
      expect(over.message).toBe("size-delimited message of 4194305 bytes exceeds the limit of 4194304 (option maxSize)");
      expect(await collect(decodeDelimitedStream(Type, [one], { maxSize: 5 }))).toEqual([Type.create({ name: "abc" })]);
      await expect(collect(decodeDelimitedStream(Type, [one], { maxSize: 4 }))).rejects.toThrow(DecodeError);
    });
  });

  test("breaking out of the loop ends the source", async () => {
    let finished = false;
    async function* source(): AsyncGenerator<Uint8Array> {
      try {
        for (;;) yield encodeDelimited(Type, { name: "x" });
      } finally {
        finished = true;
      }
    }
    for await (const m of decodeDelimitedStream(Type, source())) {
      expect(m.name).toBe("x");
      break;
    }
    expect(finished).toBe(true);
  });
});
