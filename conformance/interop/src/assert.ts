// Assertions of the interop cases: each failure says what was expected and
// what arrived, which is what the FAIL line prints.

export class InteropFailure extends Error {
  override name = "InteropFailure";
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new InteropFailure(message);
}

export function checkEqual<T>(actual: T, expected: T, what: string): void {
  if (actual !== expected) throw new InteropFailure(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** A payload body of exactly `size` zero bytes. */
export function checkZeros(body: Uint8Array | null | undefined, size: number, what: string): void {
  check(body !== undefined && body !== null, `${what}: no payload body`);
  checkEqual(body.length, size, `${what}: payload body size`);
  const nonZero = body.findIndex((b) => b !== 0);
  check(nonZero < 0, `${what}: payload body byte ${nonZero} is not zero`);
}

export function checkBytes(actual: Uint8Array | undefined, expected: readonly number[], what: string): void {
  const hex = (b: ArrayLike<number>): string => Buffer.from(Array.from(b)).toString("hex");
  check(actual !== undefined, `${what}: missing (expected 0x${hex(expected)})`);
  checkEqual(hex(actual), hex(expected), what);
}

/** A status code and, when given, the exact message, of an error from either library (`code`, `details`). */
export function checkStatus(error: unknown, code: number, what: string, details?: string): void {
  const e = error as { code?: unknown; details?: unknown } | undefined;
  check(
    typeof e === "object" && e !== null && typeof e.code === "number",
    `${what}: expected status ${code}, got ${error instanceof Error ? error.message : String(error)}`,
  );
  checkEqual(e.code, code, `${what}: status code`);
  if (details !== undefined) checkEqual(e.details, details, `${what}: status message`);
}

/** Awaits `promise` expecting it to fail with `code` (and message `details`). */
export async function expectStatus(promise: Promise<unknown>, code: number, what: string, details?: string): Promise<void> {
  let error: unknown;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  check(error !== undefined, `${what}: expected status ${code}, the call succeeded`);
  checkStatus(error, code, what, details);
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** pick_first_unary: every response named a server (server_id), and all the same one. */
export function checkOneServer(serverIds: readonly (string | undefined)[], what: string): void {
  serverIds.forEach((id, i) => check(id !== undefined && id !== "", `${what}: response ${i} has no server_id (does the server fill it for fill_server_id?)`));
  const distinct = [...new Set(serverIds)];
  check(distinct.length === 1, `${what}: answered by ${distinct.length} servers (${distinct.map(show).join(", ")}), expected one`);
}
