// google.protobuf.Duration as seconds with an "s" suffix: "1.5s", "-0.000001s",
// with 0, 3, 6 or 9 fractional digits on output. Range ±315,576,000,000 s
// (about 10,000 years); seconds and nanos must not have opposite signs.
import { JsonError } from "../json-error.js";
import { describeJson } from "../scalar.js";
import type { WktCodec } from "./codec.js";
import { formatNanos, int64Field, toBigInt } from "./util.js";

const MAX_SECONDS = 315_576_000_000n;
const DURATION = /^(-)?([0-9]+)(?:\.([0-9]{1,9}))?s$/;

interface DurationShape {
  seconds: bigint | string;
  nanos: number;
}

export const durationJson: WktCodec = {
  toJson(_type, message) {
    const m = message as DurationShape;
    const seconds = toBigInt(m.seconds);
    const nanos = m.nanos;
    if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS) throw new JsonError(`duration out of range: ${seconds} seconds`);
    if (!Number.isInteger(nanos) || nanos > 999_999_999 || nanos < -999_999_999) throw new JsonError(`duration nanos out of range: ${nanos}`);
    if ((seconds > 0n && nanos < 0) || (seconds < 0n && nanos > 0)) {
      throw new JsonError(`duration seconds and nanos have opposite signs: ${seconds}, ${nanos}`);
    }
    const negative = seconds < 0n || nanos < 0;
    const abs = seconds < 0n ? -seconds : seconds;
    return `${negative ? "-" : ""}${abs}${formatNanos(Math.abs(nanos))}s`;
  },
  fromJson(type, json) {
    if (typeof json !== "string") throw new JsonError(`expected a string for google.protobuf.Duration, got ${describeJson(json)}`);
    const m = DURATION.exec(json);
    if (m === null) throw new JsonError(`invalid google.protobuf.Duration: ${describeJson(json)}`);
    const sign = m[1] === "-" ? -1 : 1;
    const abs = BigInt(m[2]);
    if (abs > MAX_SECONDS) throw new JsonError(`google.protobuf.Duration out of range: ${describeJson(json)}`);
    const nanos = m[3] === undefined ? 0 : Number(m[3].padEnd(9, "0"));
    const message = type.create() as DurationShape;
    message.seconds = int64Field(type, 1, sign < 0 ? -abs : abs);
    // -0 would not be a valid int32 value.
    message.nanos = nanos === 0 ? 0 : sign * nanos;
    return message;
  },
};
