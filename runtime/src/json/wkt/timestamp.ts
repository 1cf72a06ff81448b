// google.protobuf.Timestamp as RFC 3339 text in UTC: "1972-01-01T10:00:20.021Z",
// with 0, 3, 6 or 9 fractional digits on output; any 1-9 digits and any
// offset on input. Range 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
import { JsonError } from "../json-error.js";
import { describeJson } from "../scalar.js";
import type { WktCodec } from "./codec.js";
import { formatNanos, int64Field, toBigInt } from "./util.js";

/** Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z since the epoch. */
const MIN_SECONDS = -62135596800n;
const MAX_SECONDS = 253402300799n;
const RFC3339 = /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]{1,9}))?(?:(Z)|([+-])([0-9]{2}):([0-9]{2}))$/;

interface TimestampShape {
  seconds: bigint | string;
  nanos: number;
}

export const timestampJson: WktCodec = {
  toJson(_type, message) {
    const m = message as TimestampShape;
    const seconds = toBigInt(m.seconds);
    const nanos = m.nanos;
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new JsonError(`timestamp out of range: ${seconds} seconds`);
    if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) throw new JsonError(`timestamp nanos out of range: ${nanos}`);
    // toISOString prints years 0001-9999 with four digits; only the fraction is ours.
    const iso = new Date(Number(seconds) * 1000).toISOString();
    return iso.slice(0, 19) + formatNanos(nanos) + "Z";
  },
  fromJson(type, json) {
    if (typeof json !== "string") throw new JsonError(`expected an RFC 3339 string for google.protobuf.Timestamp, got ${describeJson(json)}`);
    const m = RFC3339.exec(json);
    if (m === null) throw new JsonError(`invalid google.protobuf.Timestamp: ${describeJson(json)}`);
    const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
      throw new JsonError(`invalid google.protobuf.Timestamp: ${describeJson(json)}`);
    }
    let offset = 0;
    if (m[8] === undefined) {
      const oh = Number(m[10]);
      const om = Number(m[11]);
      if (oh > 23 || om > 59) throw new JsonError(`invalid offset in google.protobuf.Timestamp: ${describeJson(json)}`);
      offset = (m[9] === "-" ? -1 : 1) * (oh * 3600 + om * 60);
    }
    const seconds = BigInt(daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset);
    if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) throw new JsonError(`google.protobuf.Timestamp out of range: ${describeJson(json)}`);
    const nanos = m[7] === undefined ? 0 : Number(m[7].padEnd(9, "0"));
    const message = type.create() as TimestampShape;
    message.seconds = int64Field(type, 1, seconds);
    message.nanos = nanos;
    return message;
  },
};

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
