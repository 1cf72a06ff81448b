// The one error of the JSON layer. Like the binary layer's DecodeError, it is
// thrown knowing only the reason; each enclosing field, list element and map
// entry prepends itself while the error propagates, so that the final message
// names the place (`items[3].name: invalid int32 value: "x"`) at no cost on
// the success path.

export class JsonError extends Error {
  /** Where the problem is, e.g. `child.items[3].name` or `labels["k"]`; empty at the top level. */
  path: string;
  /** What was wrong, without the path. */
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.reason = reason;
    this.path = "";
  }

  /**
   * Records that the error happened inside `segment`: a field name, or an
   * index or key in brackets (`[3]`, `["k"]`).
   */
  prependPath(segment: string): void {
    if (this.path === "") this.path = segment;
    else if (this.path.startsWith("[")) this.path = segment + this.path;
    else this.path = `${segment}.${this.path}`;
    this.message = `${this.path}: ${this.reason}`;
  }
}

// On the prototype rather than as a field: V8 formats the `stack` header
// inside the Error constructor, before subclass fields exist.
JsonError.prototype.name = "JsonError";

