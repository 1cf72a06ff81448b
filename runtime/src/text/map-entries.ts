// Map fields are printed as one `name { key: … value: … }` block per entry,
// sorted by key the way C++ TextFormat sorts them, so output is stable.
import { ScalarType, type FieldInfo } from "../message/types.js";
import { quoteBytes } from "./escape.js";

type MapField = Extract<FieldInfo, { kind: "map" }>;

export interface MapEntry {
  /** The key as text, e.g. `"a"`, `-3` or `true`. */
  readonly keyText: string;
  readonly value: unknown;
}

const encoder = new TextEncoder();

/** The entries of `map` (a map field's object), sorted by key. */
export function sortedMapEntries(field: MapField, map: Readonly<Record<string, unknown>>): MapEntry[] {
  const keys = Object.keys(map).sort(keyOrder(field.key));
  return keys.map((k) => ({ keyText: keyText(field.key, k), value: map[k] }));
}

function keyText(T: ScalarType, key: string): string {
  if (T === ScalarType.STRING) return quoteBytes(encoder.encode(key));
  if (T === ScalarType.BOOL) return key === "true" ? "true" : "false";
  return key;
}

function keyOrder(T: ScalarType): (a: string, b: string) => number {
  switch (T) {
    case ScalarType.STRING:
      // Code point order is UTF-8 byte order, which is how C++ compares std::string keys.
      return (a, b) => compareCodePoints(a, b);
    case ScalarType.BOOL:
      return (a, b) => Number(a === "true") - Number(b === "true");
    default: {
      // Object keys of integer maps are decimal strings; 64-bit ones may exceed 2^53.
      return (a, b) => {
        const x = BigInt(a);
        const y = BigInt(b);
        return x < y ? -1 : x > y ? 1 : 0;
      };
    }
  }
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
