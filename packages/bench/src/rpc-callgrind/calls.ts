// The calls whose instructions the callgrind benchmark counts, made the same
// way by the measured process and its plain-node peer, with their answers
// checked so that a broken call path cannot pass for a cheap one.
import { bodyOf, bytesDiff, type RpcClient } from "../rpc/protocol.js";

export type CallKind = "unary" | "stream";

export const callKinds: readonly CallKind[] = ["unary", "stream"];

export function isCallKind(s: string): s is CallKind {
  return (callKinds as readonly string[]).includes(s);
}

/** Small messages: the per-call work, not the copying of bytes, is what is counted. */
export const UNARY_BYTES = 16;
export const STREAM_MESSAGES = 10;
export const STREAM_BYTES = 16;

export function describeCall(kind: CallKind): string {
  return kind === "unary" ? `Unary, ${UNARY_BYTES} B echoed` : `ServerStream of ${STREAM_MESSAGES} × ${STREAM_BYTES} B`;
}

/** One call of `kind`; throws when its answer is not the expected one. */
export async function callOnce(client: RpcClient, kind: CallKind): Promise<void> {
  if (kind === "unary") {
    const diff = bytesDiff(await client.unary(bodyOf(UNARY_BYTES)), bodyOf(UNARY_BYTES));
    if (diff !== undefined) throw new Error(`unary echo: ${diff}`);
    return;
  }
  const tally = await client.serverStream(STREAM_MESSAGES, STREAM_BYTES);
  if (tally.messages !== STREAM_MESSAGES || tally.bytes !== STREAM_MESSAGES * STREAM_BYTES) {
    throw new Error(`server stream: ${tally.messages} messages, ${tally.bytes} B instead of ${STREAM_MESSAGES}, ${STREAM_MESSAGES * STREAM_BYTES} B`);
  }
}
