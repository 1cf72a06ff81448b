// Before anything is timed: every library must decode every payload to the
// values tsgrpc decodes, and write bytes that decode back to them.
import type { MessageType } from "@tsgrpc/runtime/codegen";
import type { Codec, Library, LibraryName } from "./libraries.js";
import { firstDifference, normalize } from "./normalize.js";
import type { Workload } from "./workloads.js";

export interface Agreement {
  readonly library: LibraryName;
  readonly agreed: boolean;
  /** Payloads checked. */
  readonly payloads: number;
  /** What differed first, when the library did not agree. */
  readonly failure?: string;
  /** Differences that are not errors, e.g. a different but equivalent encoding. */
  readonly notes: string[];
  /** Total size of the library's re-encoding of every payload. */
  readonly encodedBytes: number;
}

export interface Prepared {
  readonly lib: Library;
  readonly codec: Codec;
}

/**
 * Three checks per payload and library L (T is tsgrpc):
 * 1. L.decode(payload) has T.decode(payload)'s values, field by field;
 * 2. L.encode of that message, read back by T, has the same values;
 * 3. T.encode of T's message, read by L, has the same values (tsgrpc's encoder, checked by every peer's decoder).
 * Libraries that do not track proto2 presence are compared with unset fields read as their defaults.
 */
export function verify(workload: Workload, type: MessageType<object>, prepared: readonly Prepared[]): Agreement[] {
  const ours = prepared.find((p) => p.lib.name === "tsgrpc");
  if (ours === undefined) throw new Error("verify: tsgrpc is not among the libraries");
  const T = ours.codec;
  const out: Agreement[] = [];
  for (const { lib, codec } of prepared) {
    let failure: string | undefined;
    let encodedBytes = 0;
    let oursBytes = 0;
    let identical = 0;
    const fail = (i: number, what: string, detail: string): void => {
      failure ??= `payload ${i}: ${what}: ${detail}`;
    };
    workload.payloads.forEach((payload, i) => {
      try {
        const mT = T.decode(payload);
        const ref = normalize(ours.lib, type, mT, lib.presence);
        const mL = codec.decode(payload);
        const d1 = firstDifference(ref, normalize(lib, type, mL, lib.presence));
        if (d1 !== undefined) return fail(i, `decoded values differ (tsgrpc vs ${lib.name})`, d1);
        const bytesL = codec.encode(mL);
        const bytesT = T.encode(mT);
        encodedBytes += bytesL.length;
        oursBytes += bytesT.length;
        if (Buffer.compare(bytesL, bytesT) === 0) identical++;
        const d2 = firstDifference(ref, normalize(ours.lib, type, T.decode(bytesL), lib.presence));
        if (d2 !== undefined) return fail(i, `${lib.name}'s encoding, read back by tsgrpc, differs`, d2);
        if (lib.name !== "tsgrpc") {
          const d3 = firstDifference(ref, normalize(lib, type, codec.decode(bytesT), lib.presence));
          if (d3 !== undefined) return fail(i, `tsgrpc's encoding, read by ${lib.name}, differs`, d3);
        }
      } catch (e) {
        fail(i, "threw", e instanceof Error ? e.message : String(e));
      }
    });
    const notes: string[] = [];
    if (failure === undefined && identical !== workload.payloads.length) {
      const why =
        encodedBytes === oursBytes
          ? "same length, fields in another order (declaration order rather than field-number order)"
          : lib.presence
            ? "another length"
            : "it does not track proto2 field presence, so it drops fields explicitly set to their default value";
      notes.push(
        `re-encodes ${workload.payloads.length - identical} of ${workload.payloads.length} payload(s) to other bytes than tsgrpc ` +
          `(${encodedBytes} B vs ${oursBytes} B in all): ${why}`,
      );
    }
    out.push({ library: lib.name, agreed: failure === undefined, payloads: workload.payloads.length, failure, notes, encodedBytes });
  }
  return out;
}
