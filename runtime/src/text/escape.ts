// Quotes bytes for the text format the way C++ TextFormat prints strings and
// bytes (absl::CEscape): printable ASCII stays, quotes and backslash get a
// backslash, \n \r \t keep their short escapes, and every other byte,
// including each byte of non-ASCII UTF-8, becomes a three-digit octal escape.
// The output is pure ASCII and reads back to exactly the same bytes.

const SHORT: Readonly<Record<number, string>> = {
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x22: '\\"',
  0x27: "\\'",
  0x5c: "\\\\",
};

/** `bytes` between double quotes, escaped. */
export function quoteBytes(bytes: Uint8Array): string {
  let out = '"';
  for (const b of bytes) {
    const short = SHORT[b];
    if (short !== undefined) out += short;
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += "\\" + b.toString(8).padStart(3, "0");
  }
  return out + '"';
}
