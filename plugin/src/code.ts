// A small line builder: generated functions are assembled as indented lines
// of printables (strings and import symbols) and printed in one go.
import type { GeneratedFile, Printable } from "@bufbuild/protoplugin";

export class Code {
  private readonly lines: Printable[][] = [];
  private depth: number;

  constructor(depth = 0) {
    this.depth = depth;
  }

  line(...parts: Printable[]): this {
    this.lines.push(["  ".repeat(this.depth), ...parts]);
    return this;
  }

  /** Emits `open`, the block's lines one level deeper, then `close`. */
  block(open: Printable[], body: (c: Code) => void, close: Printable[] = ["}"]): this {
    this.line(...open);
    this.depth++;
    body(this);
    this.depth--;
    this.line(...close);
    return this;
  }

  printTo(f: GeneratedFile): void {
    for (const parts of this.lines) {
      f.print(...parts);
    }
  }
}
