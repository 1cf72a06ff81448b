// The text between `[` and `]` in field position: an extension's full name
// (`pkg.ext`) or an Any type URL (`type.googleapis.com/pkg.Msg`). Validated
// like C++ TextFormat: the prefix is everything up to the last `/`, may not
// start with `/`, and may only use well-formed percent escapes; the type
// name is dot-separated identifiers.

export interface BracketName {
  /** Up to and including the last `/`; empty for an extension name. */
  readonly prefix: string;
  readonly typeName: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Splits and validates; returns the reason as a string when `text` is malformed. */
export function parseBracketName(text: string): BracketName | string {
  const slash = text.lastIndexOf("/");
  const prefix = text.slice(0, slash + 1);
  const typeName = text.slice(slash + 1);
  if (prefix === "/") return "Type URL prefix is empty";
  if (prefix.startsWith("/")) return 'Type URL starts with "/"';
  const badEscape = /%(?![0-9A-Fa-f]{2})/.exec(prefix);
  if (badEscape) return `Invalid percent encode, got: "${prefix.slice(badEscape.index, badEscape.index + 3)}"`;
  for (const part of typeName.split(".")) {
    if (!IDENTIFIER.test(part)) return `Invalid identifier in type name, got: "${part}"`;
  }
  return { prefix, typeName };
}
