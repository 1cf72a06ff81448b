// Loads every library's codec for a workload's message type.
import type { MessageType } from "@tsgrpc/runtime/codegen";
import { tsgrpcType, type Library } from "./libraries.js";
import type { Prepared } from "./verify.js";
import type { Workload } from "./workloads.js";

export interface PreparedWorkload {
  /** tsgrpc's codec const: its field table describes the schema for the normaliser. */
  readonly type: MessageType<object>;
  readonly prepared: Prepared[];
}

export async function prepare(workload: Workload, libs: readonly Library[]): Promise<PreparedWorkload> {
  const type = await tsgrpcType(workload);
  const prepared: Prepared[] = [];
  for (const lib of libs) prepared.push({ lib, codec: await lib.codec(workload) });
  return { type, prepared };
}
