// Options of the JSON mapping, as the reference implementations name them.
import type { Registry } from "../registry/registry.js";

export interface JsonWriteOptions {
  /**
   * Emit fields with implicit presence even when they hold their default
   * value (0, "", false, empty lists and maps). Fields with explicit presence
   * are emitted when set, whatever this says. Default false.
   */
  alwaysEmitImplicit?: boolean;
  /** Emit enum values as numbers instead of names. Default false. */
  enumAsInteger?: boolean;
  /** Use the field names of the .proto file instead of lowerCamelCase JSON names. Default false. */
  useProtoFieldName?: boolean;
  /** Types for google.protobuf.Any payloads and extensions (emitted as `"[full.name]"`). */
  registry?: Registry;
}

export interface JsonWriteStringOptions extends JsonWriteOptions {
  /** Pretty-print with this many spaces of indentation. Default 0: compact. */
  prettySpaces?: number;
}

export interface JsonReadOptions {
  /**
   * Skip fields the message does not know, and enum names the enum does not
   * know (the field, list element or map entry is left out), instead of
   * failing. Default false.
   */
  ignoreUnknownFields?: boolean;
  /** Types for google.protobuf.Any payloads and extensions (read from `"[full.name]"` keys). */
  registry?: Registry;
}

/** JsonWriteOptions with the defaults filled in. */
export interface WriteContext {
  readonly alwaysEmitImplicit: boolean;
  readonly enumAsInteger: boolean;
  readonly useProtoFieldName: boolean;
  readonly registry: Registry | undefined;
}

/** JsonReadOptions with the defaults filled in. */
export interface ReadContext {
  readonly ignoreUnknownFields: boolean;
  readonly registry: Registry | undefined;
}

export function writeContext(o: JsonWriteOptions | undefined): WriteContext {
  return {
    alwaysEmitImplicit: o?.alwaysEmitImplicit ?? false,
    enumAsInteger: o?.enumAsInteger ?? false,
    useProtoFieldName: o?.useProtoFieldName ?? false,
    registry: o?.registry,
  };
}

export function readContext(o: JsonReadOptions | undefined): ReadContext {
  return { ignoreUnknownFields: o?.ignoreUnknownFields ?? false, registry: o?.registry };
}
