/**
 * The wire types of the protobuf binary format: each says just enough to find
 * where the value ends. Plain numbers (not an enum) so that generated code can
 * fold `fieldNo << 3 | wireType` into a constant.
 */
export const WireType = {
  Varint: 0,
  Bit64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Bit32: 5,
} as const;

export type WireType = (typeof WireType)[keyof typeof WireType];
