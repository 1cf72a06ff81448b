// Custom metadata: request headers, response headers and trailers that belong
// to the application. Keys are lowercase `[0-9a-z_.-]+`; keys ending in `-bin`
// carry bytes (base64 on the wire), all others printable ASCII.
import type { IncomingHttpHeaders } from "node:http2";
import { isReservedHeader } from "./headers.js";

export type MetadataValue = string | Uint8Array;

/**
 * The value type of `key`: `Uint8Array` for keys ending in `-bin`, `string`
 * for the others, and either when the key is only known as `string`.
 */
export type MetadataValueOf<K extends string> = string extends K ? MetadataValue : ValueOfLiteralKey<K>;
// Distributes over a union of keys; keys are case-insensitive, hence Lowercase.
type ValueOfLiteralKey<K extends string> = K extends string ? (Lowercase<K> extends `${string}-bin` ? Uint8Array : string) : never;

/** Anything `new Metadata(init)` accepts. */
export type MetadataInit =
  | Metadata
  | Readonly<Record<string, MetadataValue | readonly MetadataValue[]>>
  | Iterable<readonly [string, MetadataValue]>;

/** Header values in the form node:http2 takes them; repeated keys become arrays. */
export type Http2HeaderValues = Readonly<Record<string, string | string[]>>;

const KEY_PATTERN = /^[0-9a-z_.-]+$/;
const ASCII_VALUE_PATTERN = /^[\x20-\x7e]*$/;

export function isBinaryKey(key: string): boolean {
  return key.endsWith("-bin");
}

function normalizeKey(key: string): string {
  const lower = key.toLowerCase();
  if (!KEY_PATTERN.test(lower)) {
    throw new TypeError(`invalid metadata key ${JSON.stringify(key)}: allowed are 0-9 a-z _ - .`);
  }
  return lower;
}

function checkValue(key: string, value: MetadataValue): MetadataValue {
  if (isBinaryKey(key)) {
    if (!(value instanceof Uint8Array)) {
      throw new TypeError(`metadata key "${key}" ends in -bin and needs a Uint8Array value`);
    }
  } else if (typeof value !== "string" || !ASCII_VALUE_PATTERN.test(value)) {
    throw new TypeError(`metadata key "${key}" needs a printable ASCII string value (0x20-0x7E)`);
  }
  return value;
}

/** Standard base64 without padding: the spec says emit unpadded, accept both. */
export function toBase64(bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
  let end = b64.length;
  while (end > 0 && b64.charCodeAt(end - 1) === 0x3d /* = */) end--;
  return end === b64.length ? b64 : b64.slice(0, end);
}

export function fromBase64(text: string): Uint8Array {
  const buf = Buffer.from(text.trim(), "base64");
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

export class Metadata implements Iterable<[string, MetadataValue]> {
  private readonly map = new Map<string, MetadataValue[]>();
  /** The header form, built on first send and reused until the next change. */
  private headerCache: Http2HeaderValues | undefined;

  constructor(init?: MetadataInit) {
    if (init === undefined) return;
    if (init instanceof Metadata) {
      for (const [key, values] of init.map) this.map.set(key, values.slice());
    } else if (Symbol.iterator in init) {
      for (const [key, value] of init as Iterable<readonly [string, MetadataValue]>) this.append(key, value);
    } else {
      for (const [key, value] of Object.entries(init as Record<string, MetadataValue | readonly MetadataValue[]>)) {
        if (Array.isArray(value)) for (const v of value as readonly MetadataValue[]) this.append(key, v);
        else this.append(key, value as MetadataValue);
      }
    }
  }

  /**
   * The first value for `key`: a string, or a Uint8Array when the key ends in
   * `-bin` (`md.get("x-id")` is `string | undefined`, `md.get("x-trace-bin")`
   * is `Uint8Array | undefined`).
   */
  get<K extends string>(key: K): MetadataValueOf<K> | undefined {
    return this.map.get(key.toLowerCase())?.[0] as MetadataValueOf<K> | undefined;
  }

  /** Every value for `key`, in the order received or added; empty when there is none. */
  getAll<K extends string>(key: K): MetadataValueOf<K>[] {
    return (this.map.get(key.toLowerCase())?.slice() ?? []) as MetadataValueOf<K>[];
  }

  has(key: string): boolean {
    return this.map.has(key.toLowerCase());
  }

  /** Replaces all values of `key`. Throws TypeError for a key or value outside the gRPC grammar. */
  set<K extends string>(key: K, value: MetadataValueOf<K>): this {
    const k = normalizeKey(key);
    this.map.set(k, [checkValue(k, value)]);
    this.headerCache = undefined;
    return this;
  }

  /** Adds a value to those of `key`. Throws TypeError for a key or value outside the gRPC grammar. */
  append<K extends string>(key: K, value: MetadataValueOf<K>): this {
    const k = normalizeKey(key);
    checkValue(k, value);
    const values = this.map.get(k);
    if (values === undefined) this.map.set(k, [value]);
    else values.push(value);
    this.headerCache = undefined;
    return this;
  }

  delete(key: string): boolean {
    this.headerCache = undefined;
    return this.map.delete(key.toLowerCase());
  }

  /** Appends every value of `other`. */
  merge(other: Metadata): this {
    for (const [key, values] of other.map) {
      const own = this.map.get(key);
      if (own === undefined) this.map.set(key, values.slice());
      else own.push(...values);
    }
    this.headerCache = undefined;
    return this;
  }

  clone(): Metadata {
    return new Metadata(this);
  }

  get size(): number {
    return this.map.size;
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  *[Symbol.iterator](): Iterator<[string, MetadataValue]> {
    for (const [key, values] of this.map) for (const value of values) yield [key, value];
  }

  /**
   * A plain object for logging and `JSON.stringify`: each key with its value,
   * or an array of its values when it has several; binary values as base64
   * (unpadded, as on the wire).
   */
  toJSON(): Record<string, string | string[]> {
    return this.toObject((v) => (typeof v === "string" ? v : toBase64(v)));
  }

  /** What `console.log` and `util.inspect` show: `Metadata { 'x-id': '1', 'x-trace-bin': Uint8Array(2) [ 1, 2 ] }`. */
  [Symbol.for("nodejs.util.inspect.custom")](depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    if (depth < 0) return "[Metadata]";
    return `Metadata ${inspect(this.toObject((v) => v), options)}`;
  }

  private toObject<V>(convert: (value: MetadataValue) => V): Record<string, V | V[]> {
    const out: Record<string, V | V[]> = {};
    for (const [key, values] of this.map) {
      const value = values.length === 1 ? convert(values[0]!) : values.map(convert);
      // defineProperty: "__proto__" is a valid metadata key.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /**
   * The header form for node:http2, without reserved keys (the runtime owns
   * those). Cached: a Metadata reused across calls is converted once.
   * @internal
   */
  toHttp2Headers(): Http2HeaderValues {
    if (this.headerCache !== undefined) return this.headerCache;
    const out: Record<string, string | string[]> = {};
    for (const [key, values] of this.map) {
      if (isReservedHeader(key)) continue;
      const encoded = values.map((v) => (typeof v === "string" ? v : toBase64(v)));
      out[key] = encoded.length === 1 ? encoded[0]! : encoded;
    }
    this.headerCache = out;
    return out;
  }

  /**
   * Custom metadata from received headers. Reserved keys are dropped, and so
   * are values outside the gRPC grammar: the spec says a receiver must not
   * fail on them. node:http2 joins repeated headers with ", ", so binary
   * values are split on "," (base64 has no commas); ASCII values stay joined,
   * which the spec calls semantically equivalent.
   * @internal
   */
  static fromHttp2Headers(headers: IncomingHttpHeaders): Metadata {
    const md = new Metadata();
    for (const key in headers) {
      if (isReservedHeader(key) || !KEY_PATTERN.test(key)) continue;
      const raw = headers[key];
      if (raw === undefined) continue;
      const list = Array.isArray(raw) ? raw : [raw];
      const values: MetadataValue[] = [];
      if (isBinaryKey(key)) {
        for (const item of list) for (const part of item.split(",")) values.push(fromBase64(part));
      } else {
        for (const item of list) if (ASCII_VALUE_PATTERN.test(item)) values.push(item);
      }
      if (values.length > 0) md.map.set(key, values);
    }
    return md;
  }
}

/** Normalizes what users pass: a Metadata is used as is (its header cache survives). */
export function toMetadata(init: MetadataInit | undefined): Metadata | undefined {
  if (init === undefined || init instanceof Metadata) return init;
  return new Metadata(init);
}
