// Prints a message in the protobuf text format, reflectively over its field
// table, in the layout of C++ TextFormat::Printer: one `name: value` per
// line, nested messages as `name {` … `}` indented by two spaces, fields in
// field number order (extensions among them), unknown fields last.
import type { FieldInfo, MessageType, UnknownFieldsHolder, ValueInfo } from "../message/types.js";
import { readExtensionField } from "../registry/extension-value.js";
import { DecodeError } from "../wire/errors.js";
import { reachableTypes } from "./any-types.js";
import { textFieldName } from "./field-names.js";
import { sortedMapEntries } from "./map-entries.js";
import type { TextRegistry } from "./registry.js";
import { TextWriter } from "./text-writer.js";
import { printUnknownFields, splitUnknownFields, UNKNOWN_RECURSION_BUDGET, type UnknownField } from "./unknown-fields.js";
import { isZeroValue } from "../message/zero.js";
import { valueText } from "./value-text.js";

export interface TextPrintOptions {
  /**
   * Also print the fields the schema does not know (kept in `$unknown`), by
   * field number, as C++ does. Default false. The output then only parses
   * with a parser that accepts field numbers.
   */
  readonly printUnknownFields?: boolean;
  /**
   * Resolves extensions (kept in `$unknown`), printed as `[pkg.ext]`, and the
   * content of `google.protobuf.Any`, printed as `[type.googleapis.com/T] { … }`.
   * Without it, extensions are printed as they are stored (unknown fields),
   * and an Any expands when it holds a type reachable from the printed
   * message's fields. An Any whose value does not decode as its type prints
   * as its two fields, `type_url` and `value`, as C++ prints it.
   */
  readonly registry?: TextRegistry;
}

type Obj = Record<string, unknown>;

/** `message` in text format; empty for a message with nothing set. */
export function toText<T extends object>(type: MessageType<T>, message: T, options?: TextPrintOptions): string {
  const out = new TextWriter();
  new Printer(out, options ?? {}, type as MessageType<object>).message(type as MessageType<object>, message);
  return out.toString();
}

const ANY = "google.protobuf.Any";

class Printer {
  constructor(
    private readonly out: TextWriter,
    private readonly options: TextPrintOptions,
    /** The message printed: its reachable types resolve Any contents when no registry is given. */
    private readonly root: MessageType<object>,
  ) {}

  message(type: MessageType<object>, message: object): void {
    if (type.typeName === ANY && this.expandedAny(type, message)) return;
    const obj = message as Obj;
    const items: { no: number; print: () => void }[] = [];
    for (const field of type.fields) {
      const value = presentValue(field, obj);
      if (value !== undefined) items.push({ no: field.no, print: () => this.field(field, textFieldName(field, type.typeName), value) });
    }
    const raw = (message as UnknownFieldsHolder).$unknown;
    const unknown = raw !== undefined && raw.length > 0 ? this.takeExtensions(type, raw, items) : [];
    // C++ lists set fields by number; extensions have numbers of their own and fall in between.
    items.sort((a, b) => a.no - b.no);
    for (const item of items) item.print();
    if (this.options.printUnknownFields) printUnknownFields(unknown, this.out, UNKNOWN_RECURSION_BUDGET);
  }

  /**
   * Adds the extensions the registry knows (they live in `$unknown`) to
   * `items`; returns the unknown fields that remain.
   */
  private takeExtensions(type: MessageType<object>, raw: Uint8Array, items: { no: number; print: () => void }[]): readonly UnknownField[] {
    const unknown = splitUnknownFields(raw) ?? [];
    const registry = this.options.registry;
    if (registry === undefined) return unknown;
    const consumed = new Set<number>();
    for (const no of new Set(unknown.map((f) => f.no))) {
      const ext = registry.getExtensionFor(type.typeName, no);
      if (ext === undefined) continue;
      const value = extensionValue(raw, ext.field);
      if (value === undefined) continue;
      consumed.add(no);
      items.push({ no, print: () => this.field(ext.field, `[${ext.typeName}]`, value) });
    }
    return consumed.size === 0 ? unknown : unknown.filter((f) => !consumed.has(f.no));
  }

  private field(field: FieldInfo, name: string, value: unknown): void {
    if (field.kind === "map") {
      for (const entry of sortedMapEntries(field, value as Obj)) {
        this.out.open(name);
        this.out.line(`key: ${entry.keyText}`);
        const v = entry.value ?? (field.value.kind === "message" ? field.value.T.create() : undefined);
        this.value("value", field.value, v);
        this.out.close();
      }
    } else if (field.repeated) {
      for (const element of value as unknown[]) this.value(name, field, element);
    } else {
      this.value(name, field, value);
    }
  }

  private value(name: string, info: ValueInfo, value: unknown): void {
    if (info.kind === "message") {
      this.out.open(name);
      this.message(info.T, value as object);
      this.out.close();
    } else {
      this.out.line(`${name}: ${valueText(info, value)}`);
    }
  }

  /**
   * `[type.googleapis.com/pkg.T] { … }` when the registry knows the type and
   * the value decodes; otherwise false, and the Any prints as its two fields.
   */
  private expandedAny(type: MessageType<object>, message: object): boolean {
    const urlField = type.field(1);
    const valueField = type.field(2);
    if (urlField === undefined || valueField === undefined) return false;
    const url = (message as Obj)[urlField.localName];
    const bytes = (message as Obj)[valueField.localName];
    if (typeof url !== "string" || !(bytes instanceof Uint8Array)) return false;
    const slash = url.lastIndexOf("/");
    if (slash < 0) return false;
    const registry = this.options.registry ?? reachableTypes(this.root);
    const valueType = registry.getMessage(url.slice(slash + 1));
    if (valueType === undefined) return false;
    let value: object;
    try {
      value = valueType.decode(bytes);
    } catch (e) {
      if (e instanceof DecodeError) return false;
      throw e;
    }
    if (valueType.spec.isInitialized && !valueType.spec.isInitialized(value)) return false;
    this.out.open(`[${url}]`);
    this.message(valueType, value);
    this.out.close();
    return true;
  }
}

/** An extension's value from the unknown field bytes; undefined when absent or not decodable (it then prints as unknown). */
function extensionValue(raw: Uint8Array, field: FieldInfo): unknown {
  try {
    const { found, value } = readExtensionField(raw, field);
    return found ? value : undefined;
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

/** The value to print for `field`, or undefined when the field is not set. */
function presentValue(field: FieldInfo, obj: Obj): unknown {
  if (field.kind === "map") {
    const map = obj[field.localName] as Obj | undefined;
    return map !== undefined && Object.keys(map).length > 0 ? map : undefined;
  }
  if (field.repeated) {
    const list = obj[field.localName] as unknown[] | undefined;
    return list !== undefined && list.length > 0 ? list : undefined;
  }
  if (field.oneof !== undefined) {
    const sel = obj[field.oneof] as { case?: string; value?: unknown } | undefined;
    return sel?.case === field.localName ? sel.value : undefined;
  }
  const value = obj[field.localName];
  if (field.explicit || value === undefined) return value;
  return isZeroValue(field, value) ? undefined : value;
}
