// Base64 for `bytes` fields. Output is the standard alphabet with padding, as
// the JSON mapping prescribes; input accepts the standard and the URL-safe
// alphabets, with or without padding, as the reference parsers do.

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const encodeTable = Array.from(alphabet);
/** Character code to 6-bit value; -1 for characters outside both alphabets. */
const decodeTable = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) decodeTable[alphabet.charCodeAt(i)] = i;
decodeTable["-".charCodeAt(0)] = 62;
decodeTable["_".charCodeAt(0)] = 63;

export function base64Encode(bytes: Uint8Array): string {
  let out = "";
  const n = bytes.length;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += encodeTable[v >> 18] + encodeTable[(v >> 12) & 63] + encodeTable[(v >> 6) & 63] + encodeTable[v & 63];
  }
  if (n - i === 1) {
    const v = bytes[i] << 16;
    out += encodeTable[v >> 18] + encodeTable[(v >> 12) & 63] + "==";
  } else if (n - i === 2) {
    const v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += encodeTable[v >> 18] + encodeTable[(v >> 12) & 63] + encodeTable[(v >> 6) & 63] + "=";
  }
  return out;
}

/** Decodes standard or URL-safe base64, padded or not; undefined when `s` is not base64. */
export function base64Decode(s: string): Uint8Array | undefined {
  let end = s.length;
  // Padding, if any, completes the last group of four.
  if (end > 0 && s.charCodeAt(end - 1) === 0x3d) {
    if (end % 4 !== 0) return undefined;
    end--;
    if (s.charCodeAt(end - 1) === 0x3d) end--;
  }
  // A lone character in the last group carries only 6 bits: not a byte.
  if (end % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let pos = 0;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    const v = c < 128 ? decodeTable[c] : -1;
    if (v < 0) return undefined;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[pos++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}
