// `grpc-status-details-bin` carries a serialized google.rpc.Status:
//   message Status { int32 code = 1; string message = 2; repeated google.protobuf.Any details = 3; }
//   message Any { string type_url = 1; bytes value = 2; }
// A few lines of hand-rolled protobuf keep the gRPC layer free of generated code.

/** One entry of google.rpc.Status.details (a google.protobuf.Any). */
export interface StatusDetail {
  /** e.g. `type.googleapis.com/google.rpc.BadRequest`. */
  readonly typeUrl: string;
  readonly value: Uint8Array;
}

export interface RpcStatus {
  readonly code: number;
  readonly message: string;
  readonly details: readonly StatusDetail[];
}

const utf8 = new TextDecoder("utf-8", { fatal: false });
const utf8Encoder = new TextEncoder();

/** A cursor over protobuf bytes; every read throws RangeError past the end. */
class Reader {
  pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    readonly end: number = buf.length,
  ) {}

  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.end) throw new RangeError("truncated varint");
      const b = this.buf[this.pos++]!;
      if (shift < 32) result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new RangeError("varint too long");
    }
  }

  bytes(): Uint8Array {
    const len = this.varint();
    if (len > this.end - this.pos) throw new RangeError("truncated length-delimited field");
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new RangeError(`unsupported wire type ${wireType}`);
    }
    if (this.pos > this.end) throw new RangeError("truncated fixed-width field");
  }
}

function decodeAny(bytes: Uint8Array): StatusDetail {
  const r = new Reader(bytes);
  let typeUrl = "";
  let value: Uint8Array = new Uint8Array(0);
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag === 0x0a) typeUrl = utf8.decode(r.bytes());
    else if (tag === 0x12) value = r.bytes().slice();
    else r.skip(tag & 7);
  }
  return { typeUrl, value };
}

/** Decodes google.rpc.Status; undefined when the bytes are not a valid one. */
export function decodeRpcStatus(bytes: Uint8Array): RpcStatus | undefined {
  try {
    const r = new Reader(bytes);
    let code = 0;
    let message = "";
    const details: StatusDetail[] = [];
    while (r.pos < r.end) {
      const tag = r.varint();
      if (tag === 0x08) code = r.varint() | 0;
      else if (tag === 0x12) message = utf8.decode(r.bytes());
      else if (tag === 0x1a) details.push(decodeAny(r.bytes()));
      else r.skip(tag & 7);
    }
    return { code, message, details };
  } catch {
    return undefined;
  }
}

function varintBytes(value: number, out: number[]): void {
  // int32 negatives are sign-extended to 10 bytes on the wire.
  let v = BigInt.asUintN(64, BigInt(value));
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
}

function lengthDelimited(fieldTag: number, payload: Uint8Array, out: number[]): void {
  out.push(fieldTag);
  varintBytes(payload.length, out);
  for (const b of payload) out.push(b);
}

export function encodeRpcStatus(status: RpcStatus): Uint8Array {
  const out: number[] = [];
  if (status.code !== 0) {
    out.push(0x08);
    varintBytes(status.code, out);
  }
  if (status.message !== "") lengthDelimited(0x12, utf8Encoder.encode(status.message), out);
  for (const detail of status.details) {
    const anyBytes: number[] = [];
    if (detail.typeUrl !== "") lengthDelimited(0x0a, utf8Encoder.encode(detail.typeUrl), anyBytes);
    if (detail.value.length > 0) lengthDelimited(0x12, detail.value, anyBytes);
    lengthDelimited(0x1a, Uint8Array.from(anyBytes), out);
  }
  return Uint8Array.from(out);
}
