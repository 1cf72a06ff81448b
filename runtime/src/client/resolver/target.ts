// Channel targets (naming.md): `host:port`, `dns:[//authority/]host[:port]`,
// `ipv4:addr[:port][,…]`, `ipv6:[addr][:port][,…]`, `unix:path`,
// `unix:///abs/path`, `unix-abstract:name`, and `scheme:endpoint` or
// `scheme://authority/endpoint` for a registered scheme. A target that fits
// none of these is a TypeError naming the forms, thrown by createChannel
// rather than as UNAVAILABLE on the first call.
import { isHostName } from "./host-port.js";
import { registeredSchemes, type SchemeHandler, schemeHandler } from "./registry.js";
import type { ParsedTarget } from "./resolver.js";

export const TARGET_FORMS =
  "host:port, dns:[//authority/]host[:port], ipv4:addr[:port][,…], ipv6:[addr][:port][,…], unix:path, unix:///abs/path, unix-abstract:name, scheme:[//authority/]endpoint for a registered scheme";

/** A target ready to resolve: its parts, the scheme's resolver and the `:authority` of its calls. */
export interface ResolvableTarget extends ParsedTarget {
  readonly handler: SchemeHandler;
  readonly defaultAuthority: string;
}

const SCHEME_PREFIX = /^([A-Za-z][A-Za-z0-9+.-]*):/;

export function parseTarget(target: string): ResolvableTarget {
  const match = SCHEME_PREFIX.exec(target);
  const scheme = match?.[1]!.toLowerCase();
  const handler = scheme !== undefined ? schemeHandler(scheme) : undefined;
  let parsed: ParsedTarget;
  if (scheme === undefined || handler === undefined) {
    const rest = match === null ? target : target.slice(match[0].length);
    if (match !== null && rest.startsWith("//")) {
      const hostPart = rest.slice(2).replace(/\/+$/, "");
      const hint = isHostName(hostPart.split(":")[0] ?? "") ? ` (for a server at that address, write "${hostPart}")` : "";
      throw invalid(target, `"${match[1]}://" is not a channel target scheme${hint}`);
    }
    // No scheme, or an unknown one (which naming.md says falls back to dns): the whole target is host[:port].
    parsed = { target, scheme: "dns", authority: "", endpoint: target };
  } else if (scheme === "unix" || scheme === "unix-abstract") {
    // Paths are not URIs: unix:///tmp/s and unix:relative keep their text (see unix.ts).
    parsed = { target, scheme, authority: "", endpoint: target.slice(match![0].length) };
  } else {
    parsed = splitUri(target, scheme, target.slice(match![0].length));
  }
  const resolvable = handler ?? schemeHandler("dns")!;
  const why = resolvable.check(parsed);
  if (why !== undefined) throw invalid(target, why);
  return { ...parsed, handler: resolvable, defaultAuthority: resolvable.authority(parsed) };
}

function splitUri(target: string, scheme: string, rest: string): ParsedTarget {
  if (!rest.startsWith("//")) return { target, scheme, authority: "", endpoint: rest };
  const slash = rest.indexOf("/", 2);
  if (slash < 0) return { target, scheme, authority: rest.slice(2), endpoint: "" };
  return { target, scheme, authority: rest.slice(2, slash), endpoint: rest.slice(slash + 1) };
}

function invalid(target: string, why: string): TypeError {
  const schemes = registeredSchemes();
  const registered = schemes.length > 0 ? ` (registered: ${schemes.join(", ")})` : " (none registered)";
  return new TypeError(`invalid channel target ${JSON.stringify(target)}: ${why}. Accepted forms: ${TARGET_FORMS}${registered}`);
}
