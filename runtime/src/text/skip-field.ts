// Skips a field without a schema, as C++ TextFormat does for reserved field
// names: a value (`: 1`, `: "a" "b"`, `: [1, 2]`, `: -inf`) or a message
// body (`{ … }`, `< … >`) made of further fields, read only for syntax.
import type { Lexer } from "./lexer.js";

/** Skips what follows a field name: `: value` or a message body (the separator after it is the caller's). */
export function skipFieldRest(lx: Lexer, depth: number, maxDepth: number): void {
  if (lx.eat(":") && !lx.at("{") && !lx.at("<")) skipValue(lx, depth, maxDepth);
  else skipMessage(lx, depth, maxDepth);
}

function skipField(lx: Lexer, depth: number, maxDepth: number): void {
  if (lx.at("[")) lx.bracketName();
  else if (lx.tok.kind === "identifier") lx.next();
  else lx.fail(`Expected identifier, got: ${lx.tok.text}`);
  skipFieldRest(lx, depth, maxDepth);
  if (!lx.eat(";")) lx.eat(",");
}

function skipMessage(lx: Lexer, depth: number, maxDepth: number): void {
  if (depth >= maxDepth) lx.fail(`Message is too deep, the parser exceeded the configured recursion limit of ${maxDepth}.`);
  const close = lx.openMessage();
  while (!lx.at(">") && !lx.at("}")) skipField(lx, depth + 1, maxDepth);
  lx.expect(close);
}

function skipValue(lx: Lexer, depth: number, maxDepth: number): void {
  if (lx.tok.kind === "string") {
    while (lx.tok.kind === "string") lx.next();
    return;
  }
  if (lx.eat("[")) {
    if (lx.eat("]")) return;
    for (;;) {
      if (lx.at("{") || lx.at("<")) skipMessage(lx, depth, maxDepth);
      else skipValue(lx, depth, maxDepth);
      if (lx.eat("]")) return;
      lx.expect(",");
    }
  }
  const negative = lx.eat("-");
  const tok = lx.tok;
  if (tok.kind !== "integer" && tok.kind !== "float" && tok.kind !== "identifier") {
    lx.fail(`Cannot skip field value, unexpected token: ${tok.text}`);
  }
  if (negative && tok.kind === "identifier" && !["inf", "infinity", "nan"].includes(tok.text.toLowerCase())) {
    lx.fail(`Invalid float number: ${tok.text}`);
  }
  lx.next();
}
