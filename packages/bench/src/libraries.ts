// The libraries under test. Each one's generated code is loaded at run time
// from dist/gen-<peer>/ (scripts/build.mjs writes it), so the bench compiles
// without it and a peer that failed to generate is reported, not fatal.
//
// Every adapter is as thin as the library's own API allows: the timed call is
// the call a user of that library makes.
import { readFileSync } from "node:fs";
import { fromBinary, toBinary, type DescMessage, type Message } from "@bufbuild/protobuf";
import type { MessageType } from "@tsgrpc/runtime/codegen";
import type { FieldInfo } from "./schema.js";

export type LibraryName = "tsgrpc" | "protobuf-es" | "ts-proto" | "protobufjs" | "google-protobuf";

/** The order of columns in reports; tsgrpc first. */
export const libraryOrder: readonly LibraryName[] = ["tsgrpc", "protobuf-es", "ts-proto", "protobufjs", "google-protobuf"];

/** A message type by the .proto file that declares it and its full name. */
export interface TypeRef {
  /** e.g. `benchmark_message2.proto` */
  readonly protoFile: string;
  /** e.g. `benchmarks.proto2.GoogleMessage2` */
  readonly typeName: string;
  /** e.g. `benchmarks.proto2` */
  readonly packageName: string;
}

export interface Codec {
  decode(bytes: Uint8Array): object;
  encode(message: object): Uint8Array;
}

export interface Library {
  readonly name: LibraryName;
  readonly version: string;
  /**
   * Whether a decoded message tells an unset proto2 field from one set to its
   * default. ts-proto does not: it drops fields equal to their default when encoding.
   */
  readonly presence: boolean;
  codec(type: TypeRef): Promise<Codec>;
  /**
   * The value of `field` in `message`, or undefined when it is unset (for a
   * oneof member: when another case or none is set).
   */
  get(message: object, field: FieldInfo): unknown;
}

export interface PeerStatus {
  readonly available: boolean;
  readonly version: string;
  readonly reason?: string;
}

export interface BuildInfo {
  readonly peers: Record<LibraryName, PeerStatus>;
  /** Directory of the protobuf benchmark datasets the build found, or null. */
  readonly datasets: string | null;
}

const dist = new URL("./", import.meta.url);

export function readBuildInfo(): BuildInfo {
  return JSON.parse(readFileSync(new URL("peers.json", dist), "utf8")) as BuildInfo;
}

type Obj = Record<string, unknown>;
type Module = Record<string, unknown>;

async function load(path: string): Promise<Module> {
  return (await import(new URL(path, dist).href)) as Module;
}

/** `benchmarks.proto2.GoogleMessage2.Group1` in package `benchmarks.proto2` → `GoogleMessage2_Group1`. */
function localName(type: TypeRef): string {
  return type.typeName.slice(type.packageName.length + 1).replace(/\./g, "_");
}

function stem(type: TypeRef): string {
  return type.protoFile.replace(/\.proto$/, "");
}

function exported<T>(mod: Module, name: string, lib: LibraryName, type: TypeRef): T {
  const v = mod[name];
  if (v === undefined) throw new Error(`${lib}: no export ${name} for ${type.typeName}`);
  return v as T;
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** tsgrpc and protobuf-es hold a oneof as `{ case, value }` under the oneof's name. */
function oneofMember(message: Obj, field: FieldInfo): unknown {
  const u = message[field.oneof!] as { case?: string; value?: unknown } | undefined;
  return u?.case === field.localName ? u.value : undefined;
}

/** The tsgrpc codec const of a type, for the normaliser and the dataset reader. */
export async function tsgrpcType(type: TypeRef): Promise<MessageType<object>> {
  const mod = await load(`gen-tsgrpc/${stem(type)}_pb.js`);
  return exported<MessageType<object>>(mod, localName(type), "tsgrpc", type);
}

function tsgrpc(version: string): Library {
  return {
    name: "tsgrpc",
    version,
    presence: true,
    async codec(type) {
      const T = await tsgrpcType(type);
      return { decode: (b) => T.decode(b), encode: (m) => T.encode(m) };
    },
    get(message, field) {
      const m = message as Obj;
      return field.oneof !== undefined ? oneofMember(m, field) : m[field.localName];
    },
  };
}

/** The protobuf-es schema of a type, for building synthetic payloads with the reference implementation. */
export async function esSchema(type: TypeRef): Promise<DescMessage> {
  const mod = await load(`gen-es/${stem(type)}_pb.js`);
  return exported<DescMessage>(mod, `${localName(type)}Schema`, "protobuf-es", type);
}

function protobufEs(version: string): Library {
  return {
    name: "protobuf-es",
    version,
    presence: true,
    async codec(type) {
      const schema = await esSchema(type);
      return {
        decode: (b) => fromBinary(schema, b),
        encode: (m) => toBinary(schema, m as Message),
      };
    },
    get(message, field) {
      const m = message as Obj;
      if (field.oneof !== undefined) return oneofMember(m, field);
      // Defaults of proto2 fields live on the prototype: only own properties are set.
      return own(m, field.localName) ? m[field.localName] : undefined;
    },
  };
}

interface StaticType {
  decode(bytes: Uint8Array): object;
  encode(message: object): { finish(): Uint8Array };
}

function tsProto(version: string): Library {
  return {
    name: "ts-proto",
    version,
    presence: false,
    async codec(type) {
      const mod = await load(`gen-ts-proto/${stem(type)}.js`);
      const T = exported<StaticType>(mod, localName(type), "ts-proto", type);
      return { decode: (b) => T.decode(b), encode: (m) => T.encode(m).finish() };
    },
    get(message, field) {
      // Oneof members are flat optional properties (the default `oneof` option).
      return (message as Obj)[field.localName];
    },
  };
}

function protobufjs(version: string): Library {
  let root: Module | undefined;
  return {
    name: "protobufjs",
    version,
    presence: true,
    async codec(type) {
      root ??= await load("gen-pbjs/bench.js");
      let node: unknown = root;
      for (const part of type.typeName.split(".")) node = (node as Module | undefined)?.[part];
      if (node === undefined) throw new Error(`protobufjs: no ${type.typeName} in gen-pbjs/bench.js`);
      const T = node as StaticType;
      return { decode: (b) => T.decode(b), encode: (m) => T.encode(m).finish() };
    },
    get(message, field) {
      // Defaults, and null for unset oneof members and messages, live on the prototype.
      const m = message as Obj;
      if (!own(m, field.localName)) return undefined;
      const v = m[field.localName];
      return v === null ? undefined : v;
    },
  };
}

const factories: Partial<Record<LibraryName, (version: string) => Library>> = {
  tsgrpc,
  "protobuf-es": protobufEs,
  "ts-proto": tsProto,
  protobufjs,
};

/** The libraries the build made available, in report order, limited to `only` when given. */
export function availableLibraries(info: BuildInfo, only?: readonly string[]): Library[] {
  const out: Library[] = [];
  for (const name of libraryOrder) {
    const status = info.peers[name];
    const make = factories[name];
    if (status?.available !== true || make === undefined) continue;
    if (only !== undefined && name !== "tsgrpc" && !only.includes(name)) continue;
    out.push(make(status.version));
  }
  return out;
}
