// `grpc-timeout`: TimeoutValue (1–8 ASCII digits) + TimeoutUnit (H M S m u n).

const MAX_VALUE = 99_999_999;

/** Units from finest to coarsest, with their length in nanoseconds. */
const UNITS: ReadonlyArray<readonly [unit: string, ns: number]> = [
  ["n", 1],
  ["u", 1e3],
  ["m", 1e6],
  ["S", 1e9],
  ["M", 60e9],
  ["H", 3600e9],
];

const MS_PER_UNIT: Readonly<Record<string, number>> = Object.fromEntries(UNITS.map(([u, ns]) => [u, ns / 1e6]));

/**
 * Encodes a timeout in the finest unit whose value fits in 8 digits, rounding
 * up so that the server never sees a deadline earlier than the client's.
 * Timeouts beyond 99999999 hours are clamped to that. `ms` must be positive.
 */
export function encodeTimeout(ms: number): string {
  const ns = ms * 1e6;
  for (const [unit, perUnit] of UNITS) {
    // Shaving a relative 1e-12 keeps float noise (0.3 ms = 300000.00000000006 ns)
    // from rounding up by a whole unit; exact values are unaffected.
    const value = Math.max(1, Math.ceil((ns / perUnit) * (1 - 1e-12)));
    if (value <= MAX_VALUE) return `${value}${unit}`;
  }
  return `${MAX_VALUE}H`;
}

const TIMEOUT_PATTERN = /^(\d{1,8})([HMSmun])$/;

/** Milliseconds, or undefined when the value does not match the grammar. */
export function parseTimeout(value: string): number | undefined {
  const match = TIMEOUT_PATTERN.exec(value);
  if (match === null) return undefined;
  return Number(match[1]) * MS_PER_UNIT[match[2]!]!;
}
