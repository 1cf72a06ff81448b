// Parses the protobuf text format into a message, reflectively over its
// field table, with the semantics of C++ TextFormat::Parser (the reference
// the conformance suite checks against): a non-repeated field or a oneof may
// be set only once, unknown field and enum names are errors, and the result
// must have every proto2 required field unless `allowPartial` is set.
import { appendUnknown, setMapEntry } from "../message/nested.js";
import { encodeExtensionField, hasExtension } from "../registry/extension-value.js";
import type { FieldInfo, MessageType } from "../message/types.js";
import { parseBracketName, type BracketName } from "./bracket-name.js";
import { findField, isReservedName } from "./find-field.js";
import { Lexer, type Token } from "./lexer.js";
import { mapEntryKey, mapEntryTypeName, zeroValue } from "./map-entry-values.js";
import { parseScalar, parseScalarOfType } from "./parse-scalar.js";
import type { TextRegistry } from "./registry.js";
import { reachableTypes } from "./any-types.js";
import { skipFieldRest } from "./skip-field.js";
import { isZeroValue } from "../message/zero.js";

export interface TextParseOptions {
  /**
   * Resolves `[pkg.ext]` extension fields and `[type.googleapis.com/T]` Any
   * contents. Without it, extensions are errors, and Any contents may be of
   * the types reachable from the parsed message's fields.
   */
  readonly registry?: TextRegistry;
  /** Accept a message that lacks proto2 required fields. Default false. */
  readonly allowPartial?: boolean;
  /** How deeply messages may nest. Default 100, like the binary decoder. */
  readonly maxDepth?: number;
}

type Obj = Record<string, unknown>;

const ANY = "google.protobuf.Any";

/** Parses `text` as a `type` message; throws TextFormatError (with line and column) on bad input. */
export function fromText<T extends object>(type: MessageType<T>, text: string, options?: TextParseOptions): T {
  const lx = new Lexer(text);
  const message = type.create();
  const parser = new Parser(lx, options ?? {}, type as MessageType<object>);
  while (lx.tok.kind !== "end") parser.field(type as MessageType<object>, message as Obj, 0);
  if (!options?.allowPartial && type.spec.isInitialized?.(message) === false) {
    lx.fail(`Message of type "${type.typeName}" is missing required fields.`);
  }
  return message;
}

class Parser {
  private readonly maxDepth: number;

  constructor(
    private readonly lx: Lexer,
    private readonly options: TextParseOptions,
    /** The message parsed: its reachable types resolve Any contents when no registry is given. */
    private readonly root: MessageType<object>,
  ) {
    this.maxDepth = options.maxDepth ?? 100;
  }

  /** One field of `message`, with its optional trailing `;` or `,`. */
  field(type: MessageType<object>, message: Obj, depth: number): void {
    if (this.lx.at("[")) this.bracketField(type, message, depth);
    else this.namedField(type, message, depth);
    if (!this.lx.eat(";")) this.lx.eat(",");
  }

  private namedField(type: MessageType<object>, message: Obj, depth: number): void {
    const lx: Lexer = this.lx;
    const name = lx.tok;
    if (name.kind !== "identifier") lx.fail(`Expected identifier, got: ${name.text}`);
    lx.next();
    const field = findField(type, name.text);
    if (field === undefined) {
      if (!isReservedName(type, name.text)) lx.fail(`Message type "${type.typeName}" has no field named "${name.text}".`, name.offset);
      skipFieldRest(lx, depth, this.maxDepth);
      return;
    }
    this.checkNotSet(type, message, field, name);
    this.values(field, name.text, depth, (value) => assign(message, field, value));
  }

  /** `[pkg.ext]: …` on any message, `[prefix/pkg.T] { … }` on google.protobuf.Any. */
  private bracketField(type: MessageType<object>, message: Obj, depth: number): void {
    const lx: Lexer = this.lx;
    const at = lx.tok.offset;
    const text = lx.bracketName();
    const name = parseBracketName(text);
    if (typeof name === "string") lx.fail(name, at);
    if (type.typeName === ANY) {
      this.anyContent(type, message, name, depth, at);
      return;
    }
    if (name.prefix !== "") lx.fail('Extension name contains "/"', at);
    const ext = this.options.registry?.getExtension(name.typeName);
    if (ext === undefined || ext.extendee.typeName !== type.typeName) {
      lx.fail(`Extension "${name.typeName}" is not defined or is not an extension of "${type.typeName}".`, at);
    }
    const field = ext.field;
    const repeated = field.kind === "map" || field.repeated === true;
    if (!repeated && hasExtension(message, ext)) lx.fail(`Non-repeated field "[${name.typeName}]" is specified multiple times.`, at);
    // Extensions live in `$unknown`: each value read is appended there as wire bytes.
    this.values(field, `[${name.typeName}]`, depth, (value) => appendUnknown(message, encodeExtensionField(field, repeated ? [value] : value)));
  }

  /** The expanded form of an Any: the named type's fields, stored as type URL and serialized value. */
  private anyContent(type: MessageType<object>, message: Obj, name: BracketName, depth: number, at: number): void {
    const lx: Lexer = this.lx;
    if (name.prefix === "") lx.fail("Type URL prefix is missing", at);
    const url = name.prefix + name.typeName;
    lx.eat(":");
    const valueType = (this.options.registry ?? reachableTypes(this.root)).getMessage(name.typeName);
    if (valueType === undefined) lx.fail(`Could not find type "${url}" stored in google.protobuf.Any.`, at);
    const value = this.message(valueType, depth);
    if (!this.options.allowPartial && valueType.spec.isInitialized?.(value) === false) {
      lx.fail(`Value of type "${valueType.typeName}" stored in google.protobuf.Any is missing required fields.`, at);
    }
    const urlField = type.field(1);
    const valueField = type.field(2);
    if (urlField === undefined || valueField === undefined) lx.fail(`${type.typeName} lacks type_url or value`, at);
    const oldUrl = message[urlField.localName];
    const oldValue = message[valueField.localName];
    if ((typeof oldUrl === "string" && oldUrl !== "") || (oldValue instanceof Uint8Array && oldValue.length > 0)) {
      lx.fail("Non-repeated Any specified multiple times.", at);
    }
    message[urlField.localName] = url;
    message[valueField.localName] = valueType.encode(value);
  }

  /**
   * The value part of a field: `: v`, `: [v, …]`, and for messages also
   * without the colon. Calls `add` for each value read.
   */
  private values(field: FieldInfo, name: string, depth: number, add: (value: unknown) => void): void {
    const lx: Lexer = this.lx;
    if (field.kind === "message" || field.kind === "map") lx.eat(":");
    else lx.expect(":");
    if ((field.kind === "map" || field.repeated) && lx.eat("[")) {
      if (lx.eat("]")) return;
      for (;;) {
        add(this.value(field, name, depth));
        if (lx.eat("]")) return;
        lx.expect(",");
      }
    }
    add(this.value(field, name, depth));
  }

  private value(field: FieldInfo, name: string, depth: number): unknown {
    if (field.kind === "map") return this.mapEntry(field, depth);
    if (field.kind === "message") return this.message(field.T, depth);
    return parseScalar(this.lx, field, name);
  }

  /** `{ … }` or `< … >` holding the fields of a new `type` message. */
  private message(type: MessageType<object>, depth: number): object {
    const lx: Lexer = this.lx;
    if (depth >= this.maxDepth) lx.fail(`Message is too deep, the parser exceeded the configured recursion limit of ${this.maxDepth}.`);
    const close = lx.openMessage();
    const message = type.create() as Obj;
    while (!lx.at("}") && !lx.at(">")) this.field(type, message, depth + 1);
    lx.expect(close);
    return message;
  }

  /**
   * One map entry, `{ key: k value: v }`, as [object key, value]; a missing
   * key or value is the zero value, as in the binary format.
   */
  private mapEntry(field: Extract<FieldInfo, { kind: "map" }>, depth: number): [string, unknown] {
    const lx: Lexer = this.lx;
    if (depth >= this.maxDepth) lx.fail(`Message is too deep, the parser exceeded the configured recursion limit of ${this.maxDepth}.`);
    const close = lx.openMessage();
    let key: unknown;
    let value: unknown;
    while (!lx.at("}") && !lx.at(">")) {
      const name = lx.tok;
      if (name.kind !== "identifier") lx.fail(`Expected identifier, got: ${name.text}`);
      lx.next();
      if (name.text !== "key" && name.text !== "value") {
        lx.fail(`Message type "${mapEntryTypeName(field)}" has no field named "${name.text}".`, name.offset);
      }
      if ((name.text === "key" ? key : value) !== undefined) {
        lx.fail(`Non-repeated field "${name.text}" is specified multiple times.`, name.offset);
      }
      if (name.text === "key") {
        lx.expect(":");
        key = parseScalarOfType(lx, field.key, "string", "key");
      } else if (field.value.kind === "message") {
        lx.eat(":");
        value = this.message(field.value.T, depth + 1);
      } else {
        lx.expect(":");
        value = parseScalar(lx, field.value, "value");
      }
      if (!lx.eat(";")) lx.eat(",");
    }
    lx.expect(close);
    return [mapEntryKey(field.key, key), value ?? zeroValue(field.value)];
  }

  /** A non-repeated field, or a second member of a oneof, may be given only once. */
  private checkNotSet(type: MessageType<object>, message: Obj, field: FieldInfo, name: Token): void {
    if (field.kind === "map" || field.repeated) return;
    const lx: Lexer = this.lx;
    if (field.oneof !== undefined) {
      const selected = (message[field.oneof] as { case?: string } | undefined)?.case;
      if (selected === undefined) return;
      if (selected === field.localName) lx.fail(`Non-repeated field "${name.text}" is specified multiple times.`, name.offset);
      const other = type.fields.find((f) => f.oneof === field.oneof && f.localName === selected);
      lx.fail(
        `Field "${name.text}" is specified along with field "${other?.name ?? selected}", another member of oneof "${field.oneof}".`,
        name.offset,
      );
    }
    // Like C++ HasField: an implicit-presence field holding its zero value counts as not set.
    const value = message[field.localName];
    const set = field.explicit ? value !== undefined : !isZeroValue(field, value);
    if (set) lx.fail(`Non-repeated field "${name.text}" is specified multiple times.`, name.offset);
  }
}

function assign(message: Obj, field: FieldInfo, value: unknown): void {
  if (field.kind === "map") {
    const [key, entryValue] = value as [string, unknown];
    setMapEntry((message[field.localName] ??= {}) as Obj, key, entryValue);
  } else if (field.repeated) {
    ((message[field.localName] ??= []) as unknown[]).push(value);
  } else if (field.oneof !== undefined) {
    message[field.oneof] = { case: field.localName, value };
  } else {
    message[field.localName] = value;
  }
}
