/**
 * Malformed or unacceptable protobuf text format input.
 *
 * Carries the place (1-based line and column of the offending token) and the
 * reason separately, so callers can point at the input or show the message
 * `3:14: Integer out of range (2147483648)`.
 */
export class TextFormatError extends Error {
  readonly line: number;
  readonly column: number;
  /** What was wrong, without the place. */
  readonly reason: string;

  constructor(line: number, column: number, reason: string) {
    super(`${line}:${column}: ${reason}`);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }
}

// On the prototype rather than as a field: V8 formats the `stack` header
// inside the Error constructor, before subclass fields exist.
TextFormatError.prototype.name = "TextFormatError";
