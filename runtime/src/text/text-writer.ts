// Collects printed lines with two spaces of indentation per nesting level,
// the layout C++ TextFormat::Printer uses outside single-line mode.
export class TextWriter {
  private out = "";
  private indent = "";

  /** One complete line. */
  line(text: string): void {
    this.out += `${this.indent}${text}\n`;
  }

  /** `name {`, and what follows is nested one level deeper. */
  open(name: string): void {
    this.line(`${name} {`);
    this.indent += "  ";
  }

  /** The `}` closing the innermost `open`. */
  close(): void {
    this.indent = this.indent.slice(2);
    this.line("}");
  }

  toString(): string {
    return this.out;
  }
}
