// `grpc-message` is UTF-8, then percent-encoded: bytes 0x20–0x7E pass through
// except `%`, everything else becomes `%XX` (PROTOCOL-HTTP2.md, Status-Message).

const HEX = "0123456789ABCDEF";
const utf8Decoder = new TextDecoder("utf-8", { fatal: false });

function needsEncoding(code: number): boolean {
  return code < 0x20 || code > 0x7e || code === 0x25;
}

export function encodeGrpcMessage(message: string): string {
  let i = 0;
  while (i < message.length && !needsEncoding(message.charCodeAt(i))) i++;
  if (i === message.length) return message; // the common case: nothing to escape
  const bytes = Buffer.from(message, "utf8");
  let out = "";
  for (const b of bytes) {
    out += needsEncoding(b) ? "%" + HEX[b >> 4] + HEX[b & 15] : String.fromCharCode(b);
  }
  return out;
}

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  if (code >= 0x41 && code <= 0x46) return code - 0x37;
  if (code >= 0x61 && code <= 0x66) return code - 0x57;
  return -1;
}

/**
 * Never throws: the spec forbids failing on a bad value. Broken escapes are
 * kept literally and invalid UTF-8 becomes U+FFFD.
 */
export function decodeGrpcMessage(value: string): string {
  if (!value.includes("%")) return value;
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x25 && i + 2 < value.length) {
      const hi = hexValue(value.charCodeAt(i + 1));
      const lo = hexValue(value.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    // node:http2 hands header values over as latin1, one char per received byte.
    if (c <= 0xff) bytes.push(c);
    else for (const b of Buffer.from(value.charAt(i), "utf8")) bytes.push(b);
  }
  return utf8Decoder.decode(Uint8Array.from(bytes));
}
