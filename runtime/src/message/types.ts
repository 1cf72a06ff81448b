// Members use method syntax on purpose: methods are bivariant, so a
// MessageType<Child> can stand where a MessageType<object> is expected.
//
// The shapes that generated code and the runtime agree on. Generated code
// supplies straight-line size/write/read functions plus a field table; the
// runtime derives everything that is not on the hot path (equals, JSON, text)
// from the table.
import type { BinaryReader } from "../wire/reader.js";
import type { BinaryWriter } from "../wire/writer.js";

/** Protobuf scalar types, numbered as in google.protobuf.FieldDescriptorProto.Type. */
export enum ScalarType {
  DOUBLE = 1,
  FLOAT = 2,
  INT64 = 3,
  UINT64 = 4,
  INT32 = 5,
  FIXED64 = 6,
  FIXED32 = 7,
  BOOL = 8,
  STRING = 9,
  BYTES = 12,
  UINT32 = 13,
  SFIXED32 = 15,
  SFIXED64 = 16,
  SINT32 = 17,
  SINT64 = 18,
}

/** How 64-bit integers are represented in generated messages. */
export type Int64Repr = "bigint" | "string";

export interface EnumValueInfo {
  readonly no: number;
  /** The name in the .proto file, e.g. `COLOR_RED`. */
  readonly name: string;
}

export interface EnumType {
  readonly typeName: string;
  readonly values: readonly EnumValueInfo[];
  /** Open enums (proto3) accept any int32; closed enums (proto2) route unknown values to unknown fields. */
  readonly open: boolean;
}

/** The value side of a field: what a singular field, a list element or a map value holds. */
export type ValueInfo =
  | { readonly kind: "scalar"; readonly T: ScalarType; readonly int64?: Int64Repr }
  | { readonly kind: "enum"; readonly T: EnumType }
  | { readonly kind: "message"; readonly T: MessageType<object>; readonly delimited?: boolean };

interface FieldInfoBase {
  /** Field number. */
  readonly no: number;
  /** Name in the .proto file. */
  readonly name: string;
  /** Property name in the generated TypeScript interface (or in the oneof's `case`). */
  readonly localName: string;
  /** Name in the proto3 JSON mapping (lowerCamelCase or `json_name`). */
  readonly jsonName: string;
  /** Property holding the oneof union, when the field is a member of a (real) oneof. */
  readonly oneof?: string;
}

export type FieldInfo =
  | (FieldInfoBase &
      ValueInfo & {
        readonly repeated?: false;
        /** Explicit presence: the property is optional and `undefined` when unset. */
        readonly explicit: boolean;
        readonly required?: boolean;
        /** proto2 `[default = …]`, already in the field's TypeScript representation. */
        readonly defaultValue?: unknown;
      })
  | (FieldInfoBase & ValueInfo & { readonly repeated: true; readonly packed: boolean })
  | (FieldInfoBase & {
      readonly kind: "map";
      readonly key: ScalarType;
      readonly keyInt64?: Int64Repr;
      readonly value: ValueInfo;
    });

/** Code generated for one message; `defineMessage` turns it into a MessageType. */
export interface MessageSpec<T extends object> {
  readonly typeName: string;
  /** A thunk because fields may refer to types defined later in the file (or to the message itself). */
  fields(): readonly FieldInfo[];
  /** A new message with every implicit-presence field at its zero value. */
  create(): T;
  /**
   * Encoded size of `message` without a length prefix. For each nested
   * length-delimited message it pushes a slot to `sizes` (pre-order) so that
   * `write` can emit the length prefixes without measuring twice. For each
   * map it pushes the keys and values it read to `saved`, so that `write`
   * neither lists the keys again nor looks each one up a second time (maps
   * are records in dictionary mode, where both are slow).
   */
  size(message: PartialMessage<T>, sizes: number[], saved: unknown[]): number;
  /** Writes `message`; consumes `sizes` and `saved` in the order `size` produced them. */
  write(message: PartialMessage<T>, writer: BinaryWriter): void;
  /**
   * Merges fields from `reader` into `message`, up to `reader.limit`. For a
   * group (delimited encoding) `groupNo` is the group's field number and
   * reading stops after the matching END_GROUP tag; otherwise it is 0.
   */
  read(reader: BinaryReader, message: T, groupNo: number): void;
  /** True when every proto2 `required` field (transitively) is set. Omitted when the type has none. */
  isInitialized?(message: T): boolean;
  /**
   * Field names the message reserves (`reserved "foo";`). The text format
   * parser skips fields of these names instead of rejecting them. Omitted
   * when there are none.
   */
  readonly reservedNames?: readonly string[];
}

export interface BinaryReadOptions {
  /** Drop unknown fields instead of keeping them for re-encoding. Default false. */
  readonly discardUnknown?: boolean;
  /**
   * `bytes` fields become views into the input instead of copies: no copy per
   * field, but the input must not change afterwards, and any such field keeps
   * all of it in memory. The gRPC runtime decodes received messages this way,
   * as their buffers are its own. Default false.
   */
  readonly aliasBytes?: boolean;
}


/**
 * A partial message: any field may be left out, nested messages are partial too.
 * Accepted wherever a message is an input (create, encode, client requests).
 */
export type PartialMessage<T> = {
  [P in keyof T]?: PartialField<T[P]>;
};
type PartialField<F> = F extends Uint8Array | bigint | string | number | boolean
  ? F
  : F extends ReadonlyArray<infer E>
    ? ReadonlyArray<PartialField<E>>
    : F extends { case: infer C; value: infer V }
      ? { case: C; value: PartialField<V> }
      : F extends object
        ? PartialMessage<F>
        : F;

/**
 * The codec const generated per message, named like its interface. It holds
 * the binary codec only: JSON and text format are the free functions
 * `toJson(Type, msg)`, `fromJson(Type, json)`, `toText(Type, msg)`, … so
 * that bundlers leave them out of code that does not call them.
 */
export interface MessageType<T extends object> {
  readonly typeName: string;
  /** The field table, resolved on first use. */
  readonly fields: readonly FieldInfo[];
  /** A field by number, or undefined. */
  field(no: number): FieldInfo | undefined;
  /** A new message: zero values, overlaid with `init` (nested partial messages are completed). */
  create(init?: PartialMessage<T>): T;
  /** Encodes a message; fields left out of a partial message count as unset (zero). */
  encode(message: PartialMessage<T>): Uint8Array;
  /**
   * Like encode, with `headroom` free bytes before the message for a header
   * (the gRPC frame prefix) to go without a copy. The bytes are bound for a
   * socket, so on Node they are a Buffer, which node:http2 writes as it is.
   */
  encodeWithHeadroom(message: PartialMessage<T>, headroom: number): Uint8Array;
  /**
   * Encodes `message` into `target` at `offset` when it fits: returns the
   * number of bytes written. When it does not fit (or `offset` is past the
   * end) it writes nothing and returns `-1 - size`, so that `-1 - result` is
   * the room it needs. Lets a caller pack many messages into one buffer (the
   * gRPC runtime batches stream frames this way).
   */
  encodeInto(message: PartialMessage<T>, target: Uint8Array, offset: number): number;
  decode(bytes: Uint8Array, options?: BinaryReadOptions): T;
  equals(a: T | undefined, b: T | undefined): boolean;
  /** Deep copy. */
  clone(message: T): T;
  /** The generated pieces, for runtime layers (nested encoding, JSON, text, gRPC). */
  readonly spec: MessageSpec<T>;
}

/** A message with unknown fields kept as raw wire bytes (tag + value, in the order read). */
export interface UnknownFieldsHolder {
  $unknown?: Uint8Array;
}

/**
 * A proto2/editions extension. Extension values live in the extendee's
 * `$unknown` bytes (they are fields the extendee itself does not declare);
 * JSON, text format and registries read and write them through `field`.
 */
/**
 * An extension: `E` is the message it extends, `V` its value (an array for a
 * repeated extension). Both are types only, so that `getExtension` and
 * `setExtension` check the message and the value; the runtime knows the
 * extension by its field info.
 */
export interface ExtensionType<E extends object = object, V = unknown> {
  /** Full name, e.g. `protobuf_test_messages.proto2.extension_int32`. */
  readonly typeName: string;
  readonly extendee: MessageType<object>;
  /** The field: `jsonName` is `[typeName]` as the JSON mapping spells extensions. */
  readonly field: FieldInfo;
  /** Never set: carries `E` and `V` for the type checker. */
  readonly $types?: { readonly extendee: E; readonly value: V };
}

/** What `getExtension` returns: a repeated extension's array (empty when absent), else the value or undefined. */
export type ExtensionValue<V> = V extends readonly unknown[] ? V : V | undefined;

export interface ExtensionSpec {
  readonly typeName: string;
  extendee(): MessageType<object>;
  field(): FieldInfo;
}
