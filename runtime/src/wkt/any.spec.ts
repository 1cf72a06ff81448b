import { createRegistry } from "../registry/registry.js";
import { anyIs, anyPack, anyTypeName, anyUnpack } from "./any.js";
import { Any } from "./gen/google/protobuf/any_pb.js";
import { Duration } from "./gen/google/protobuf/duration_pb.js";
import { Timestamp } from "./gen/google/protobuf/timestamp_pb.js";

describe("Any", () => {
  const d = Duration.create({ seconds: 3n, nanos: 4 });

  test("pack", () => {
    const any = anyPack(Duration, d);
    expect(any.typeUrl).toBe("type.googleapis.com/google.protobuf.Duration");
    expect(Duration.decode(any.value)).toEqual(d);
    expect(anyPack(Duration, d, "example.com/").typeUrl).toBe("example.com/google.protobuf.Duration");
    expect(anyPack(Duration, d, "example.com/x").typeUrl).toBe("example.com/x/google.protobuf.Duration");
  });

  test("is", () => {
    const any = anyPack(Duration, d);
    expect(anyIs(any, Duration)).toBe(true);
    expect(anyIs(any, "google.protobuf.Duration")).toBe(true);
    expect(anyIs(any, Timestamp)).toBe(false);
    expect(anyIs(Any.create(), "")).toBe(false);
    expect(anyTypeName(any)).toBe("google.protobuf.Duration");
  });

  test("unpack by type", () => {
    expect(anyUnpack(anyPack(Duration, d), Duration)).toEqual(d);
    expect(anyUnpack(anyPack(Duration, d), Timestamp)).toBeUndefined();
    expect(anyUnpack(Any.create(), Duration)).toBeUndefined();
  });

  test("unpack through a registry", () => {
    const registry = createRegistry(Duration);
    expect(anyUnpack(anyPack(Duration, d), registry)).toEqual(d);
    expect(anyUnpack(anyPack(Timestamp, Timestamp.create()), registry)).toBeUndefined();
  });
});
