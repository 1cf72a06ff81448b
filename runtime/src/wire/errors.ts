/**
 * A malformed or unsupported protobuf binary input.
 *
 * The wire layer throws it knowing only the reason; the message layer adds
 * the field path while the error propagates out of nested messages, so that
 * the final message names the place: `cannot decode field child.items: …`.
 */
export class DecodeError extends Error {
  /** Field names from the outermost message inward; empty when thrown outside any field. */
  readonly path: string[];
  /** What was wrong, without the path, e.g. "unexpected end of data". */
  readonly reason: string;

  constructor(reason: string, path: readonly string[] = []) {
    super(formatMessage(reason, path));
    this.reason = reason;
    this.path = path.slice();
  }

  /** Records that the error happened inside `segment` (a field of the enclosing message). */
  prependPath(segment: string): void {
    this.path.unshift(segment);
    this.message = formatMessage(this.reason, this.path);
  }
}

// On the prototype rather than as a field: V8 formats the `stack` header
// inside the Error constructor, before subclass fields exist.
DecodeError.prototype.name = "DecodeError";

function formatMessage(reason: string, path: readonly string[]): string {
  return path.length === 0 ? reason : `cannot decode field ${path.join(".")}: ${reason}`;
}
