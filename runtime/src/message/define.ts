// Turns the generated pieces of a message into its codec const. The const
// holds only the binary codec and what it needs (create, equals, clone):
// JSON and text format are free functions over the field table
// (`toJson(Type, msg)`, `toText(Type, msg)`), so that a bundle that never
// calls them leaves them out. A method here would pull them into every
// bundle that names a message type.
import { BinaryReader } from "../wire/reader.js";
import { BinaryWriter } from "../wire/writer.js";
import { equalMessages } from "./equals.js";
import { labelDecodeError } from "./error-path.js";
import { createFromPartial } from "./create.js";
import { merge } from "./merge.js";
import type { BinaryReadOptions, FieldInfo, MessageSpec, MessageType, PartialMessage } from "./types.js";

export function defineMessage<T extends object>(spec: MessageSpec<T>): MessageType<T> {
  return new DefinedMessageType(spec);
}

function encodeMessage<T extends object>(spec: MessageSpec<T>, message: PartialMessage<T>, headroom: number, nodeBuffer: boolean): Uint8Array {
  const sizes: number[] = [];
  const saved: unknown[] = [];
  const writer = new BinaryWriter(spec.size(message, sizes, saved), sizes, saved, headroom, nodeBuffer);
  spec.write(message, writer);
  return writer.finish();
}

type Method<T extends object, K extends keyof MessageType<T>> = MessageType<T>[K];

/**
 * A class, so that every message type has one hidden class with fast
 * properties: the runtime's call sites see all types through one monomorphic
 * shape. (An object literal with a getter is a dictionary-mode object; its
 * property loads went through the generic IC on every encode and decode.)
 * The methods are own arrow functions rather than prototype methods so that
 * `items.map(Foo.decode)` works, and `fields` is an own accessor (one getter
 * shared by all types, which keeps the shape shared) so that `{ ...Foo }` has it.
 */
class DefinedMessageType<T extends object> implements MessageType<T> {
  static readonly #fieldsProperty: PropertyDescriptor = {
    get(this: DefinedMessageType<object>): readonly FieldInfo[] {
      return (this.#fields ??= this.spec.fields());
    },
    enumerable: true,
  };
  readonly typeName: string;
  readonly spec: MessageSpec<T>;
  declare readonly fields: readonly FieldInfo[];
  #fields: readonly FieldInfo[] | undefined = undefined;
  #byNumber: Map<number, FieldInfo> | undefined = undefined;
  readonly field: Method<T, "field">;
  readonly create: Method<T, "create">;
  readonly encode: Method<T, "encode">;
  readonly encodeWithHeadroom: Method<T, "encodeWithHeadroom">;
  readonly encodeInto: Method<T, "encodeInto">;
  readonly decode: Method<T, "decode">;
  readonly equals: Method<T, "equals">;
  readonly clone: Method<T, "clone">;

  constructor(spec: MessageSpec<T>) {
    this.typeName = spec.typeName;
    this.spec = spec;
    Object.defineProperty(this, "fields", DefinedMessageType.#fieldsProperty);
    const type: MessageType<T> = this;
    this.field = (no) => (this.#byNumber ??= new Map(type.fields.map((f) => [f.no, f]))).get(no);
    this.create = (init?: PartialMessage<T>): T => {
      const message = spec.create();
      return init === undefined ? message : createFromPartial(type, message, init);
    };
    this.encode = (message) => encodeMessage(spec, message, 0, false);
    this.encodeWithHeadroom = (message, headroom) => encodeMessage(spec, message, headroom, true);
    this.encodeInto = (message, target, offset) => {
      const sizes: number[] = [];
      const saved: unknown[] = [];
      const size = spec.size(message, sizes, saved);
      if (size > target.length - offset) return -1 - size;
      const writer = new BinaryWriter(size, sizes, saved, offset, false, target);
      spec.write(message, writer);
      writer.finish();
      return size;
    };
    this.decode = (bytes: Uint8Array, options?: BinaryReadOptions): T => {
      const message = spec.create();
      const reader = new BinaryReader(bytes, options);
      try {
        spec.read(reader, message, 0);
      } catch (e) {
        throw labelDecodeError(e, type as MessageType<object>, reader);
      }
      return message;
    };
    this.equals = (a, b) => equalMessages(type, a, b);
    // A structural copy, not decode(encode(m)): exact for values the wire
    // would change (a lone surrogate, an unnamed value of a closed enum) and
    // two to three times faster.
    this.clone = (message) => merge(type, spec.create(), message);
  }
}
