import { createChannel } from "../channel.js";
import { registerResolver, unregisterResolver } from "./registry.js";
import type { Address, ResolverUpdate } from "./resolver.js";
import { parseTarget, TARGET_FORMS } from "./target.js";

type Parts = [scheme: string, authority: string, endpoint: string, defaultAuthority: string];

const table: Array<[string, Parts]> = [
  ["localhost:50051", ["dns", "", "localhost:50051", "localhost:50051"]],
  ["example.com", ["dns", "", "example.com", "example.com:443"]],
  ["127.0.0.1:1", ["dns", "", "127.0.0.1:1", "127.0.0.1:1"]],
  ["[::1]:8080", ["dns", "", "[::1]:8080", "[::1]:8080"]],
  ["dns:///svc.local:9000", ["dns", "", "svc.local:9000", "svc.local:9000"]],
  ["DNS:///svc.local:9000", ["dns", "", "svc.local:9000", "svc.local:9000"]],
  ["dns://127.0.0.1:5353/svc.local:9000", ["dns", "127.0.0.1:5353", "svc.local:9000", "svc.local:9000"]],
  ["dns://[::1]/svc.local", ["dns", "[::1]", "svc.local", "svc.local:443"]],
  ["dns:svc.local:9000", ["dns", "", "svc.local:9000", "svc.local:9000"]],
  ["ipv4:10.0.0.1:5,10.0.0.2:6", ["ipv4", "", "10.0.0.1:5,10.0.0.2:6", "10.0.0.1:5"]],
  ["ipv4:10.0.0.1", ["ipv4", "", "10.0.0.1", "10.0.0.1:443"]],
  ["ipv6:[::1]:7,[::2]:8", ["ipv6", "", "[::1]:7,[::2]:8", "[::1]:7"]],
  ["ipv6:::1", ["ipv6", "", "::1", "[::1]:443"]],
  ["unix:/tmp/grpc.sock", ["unix", "", "/tmp/grpc.sock", "localhost"]],
  ["unix:///tmp/grpc.sock", ["unix", "", "///tmp/grpc.sock", "localhost"]],
  ["unix:relative.sock", ["unix", "", "relative.sock", "localhost"]],
  ["unix-abstract:grpc-test", ["unix-abstract", "", "grpc-test", "localhost"]],
  ["unix-abstract://x", ["unix-abstract", "", "//x", "localhost"]],
  ["my-service_1.internal.:80", ["dns", "", "my-service_1.internal.:80", "my-service_1.internal.:80"]],
  ["dns:[::1]:5", ["dns", "", "[::1]:5", "[::1]:5"]],
];
test.each(table)("%p", (target, [scheme, authority, endpoint, defaultAuthority]) => {
  expect(parseTarget(target)).toMatchObject({ target, scheme, authority, endpoint, defaultAuthority });
});

/** The first update of a built-in resolver that answers without a lookup. */
function resolveSync(target: string): readonly Address[] {
  const parsed = parseTarget(target);
  let update: ResolverUpdate | undefined;
  const resolver = parsed.handler.factory(parsed, { onUpdate: (u) => (update = u), onError: (e) => { throw e; } });
  resolver.close();
  if (update === undefined) throw new Error(`${target} did not resolve synchronously`);
  return update.addresses;
}

const literal: Array<[string, Address[]]> = [
  ["127.0.0.1:1", [{ kind: "tcp", host: "127.0.0.1", port: 1 }]],
  ["dns:///[::1]:8080", [{ kind: "tcp", host: "::1", port: 8080 }]],
  ["dns:10.1.2.3", [{ kind: "tcp", host: "10.1.2.3", port: 443 }]],
  ["ipv4:10.0.0.1:5,10.0.0.2:6,10.0.0.3", [
    { kind: "tcp", host: "10.0.0.1", port: 5 },
    { kind: "tcp", host: "10.0.0.2", port: 6 },
    { kind: "tcp", host: "10.0.0.3", port: 443 },
  ]],
  ["ipv6:[::1]:7,[fe80::1]:8,::2", [
    { kind: "tcp", host: "::1", port: 7 },
    { kind: "tcp", host: "fe80::1", port: 8 },
    { kind: "tcp", host: "::2", port: 443 },
  ]],
  ["unix:/tmp/grpc.sock", [{ kind: "unix", path: "/tmp/grpc.sock" }]],
  ["unix:///tmp/grpc.sock", [{ kind: "unix", path: "/tmp/grpc.sock" }]],
  ["unix:relative.sock", [{ kind: "unix", path: "relative.sock" }]],
  ["unix-abstract:grpc-test", [{ kind: "unix", path: "\0grpc-test" }]],
];
test.each(literal)("%p resolves at once, without a lookup, to its addresses", (target, addresses) => {
  expect(resolveSync(target)).toEqual(addresses);
});

const rejected: Array<[string, string]> = [
  ["", "has no host"],
  [":50051", "has no host"],
  ["host:port", 'has an invalid port "port"'],
  ["host:", 'has an invalid port ""'],
  ["host:70000", 'has an invalid port "70000"'],
  ["[::1", "has an unclosed ["],
  ["[::1]x", 'has "x" after ]'],
  ["[example.com]:1", '"example.com" in brackets is not an IPv6 address'],
  ["::1:50051:x", "has an IPv6 address with a port outside brackets (write [addr]:port)"],
  ["unix:", "needs a socket path"],
  ["unix://relative", "unix:// needs an absolute path (three slashes: unix:///path)"],
  ["unix-abstract:a\0b", "an abstract socket name cannot contain NUL"],
  ["dns://auth", "needs a host after the authority (dns:///host:port)"],
  ["dns://dns.example/host", 'the DNS server authority "dns.example" must be an IP address with an optional port'],
  ["ipv4:10.0.0.1:5,example.com:6", '"example.com" is not an IPv4 address'],
  ["ipv4:256.0.0.1", '"256.0.0.1" is not an IPv4 address'],
  ["ipv4://10.0.0.1/10.0.0.1", "ipv4: takes no authority (write ipv4:addr:port)"],
  ["ipv6:10.0.0.1", '"10.0.0.1" is not an IPv6 address'],
  ["host name:1", '"host name" is not a host name or IP address'],
  ["a/b:1", '"a/b" is not a host name or IP address'],
  ["http://127.0.0.1:50051", '"http://" is not a channel target scheme (for a server at that address, write "127.0.0.1:50051")'],
  ["https://example.com/", '"https://" is not a channel target scheme (for a server at that address, write "example.com")'],
  ["xds:///svc", '"xds://" is not a channel target scheme'],
];
test.each(rejected)("%p is a TypeError: %s", (target, why) => {
  expect(() => parseTarget(target)).toThrow(
    new TypeError(`invalid channel target ${JSON.stringify(target)}: ${why}. Accepted forms: ${TARGET_FORMS} (none registered)`),
  );
});

test("the error names every accepted form", () => {
  for (const form of ["host:port", "dns:[//authority/]host[:port]", "ipv4:addr[:port][,…]", "ipv6:[addr][:port][,…]", "unix:path", "unix:///abs/path", "unix-abstract:name", "registered scheme"]) {
    expect(TARGET_FORMS).toContain(form);
  }
});

describe("registered schemes", () => {
  const none = () => ({ resolveNow() {}, close() {} });
  afterEach(() => {
    unregisterResolver("xds");
    unregisterResolver("etcd");
  });

  test("a registered scheme parses as a URI and names the endpoint as authority", () => {
    registerResolver("xds", none);
    expect(parseTarget("xds:///svc")).toMatchObject({ scheme: "xds", authority: "", endpoint: "svc", defaultAuthority: "svc" });
    expect(parseTarget("XDS://control-plane/svc.ns:8080")).toMatchObject({ scheme: "xds", authority: "control-plane", endpoint: "svc.ns:8080", defaultAuthority: "svc.ns:8080" });
    expect(parseTarget("xds:svc")).toMatchObject({ scheme: "xds", authority: "", endpoint: "svc" });
    expect(parseTarget("xds://control-plane")).toMatchObject({ authority: "control-plane", endpoint: "", defaultAuthority: "control-plane" });
    expect(unregisterResolver("xds")).toBe(true);
    expect(unregisterResolver("xds")).toBe(false);
    expect(() => parseTarget("xds:///svc")).toThrow(/"xds:\/\/" is not a channel target scheme/);
  });

  test("the error lists registered schemes", () => {
    registerResolver("etcd", none);
    registerResolver("xds", none);
    expect(() => parseTarget("consul:///svc")).toThrow(`Accepted forms: ${TARGET_FORMS} (registered: etcd, xds)`);
  });

  test("replacing dns keeps the dns syntax checks", () => {
    registerResolver("dns", none);
    try {
      expect(parseTarget("localhost:1").handler.factory).toBe(none);
      expect(() => parseTarget("host:port")).toThrow('has an invalid port "port"');
    } finally {
      unregisterResolver("dns");
    }
    expect(parseTarget("localhost:1").handler.factory).not.toBe(none);
  });

  test("scheme names and factories are checked", () => {
    expect(() => registerResolver("1x", none)).toThrow(new TypeError('invalid resolver scheme "1x": a URI scheme is a letter, then letters, digits, "+", "-" or "."'));
    expect(() => registerResolver("a b", none)).toThrow(TypeError);
    expect(() => registerResolver("ok", "nope" as never)).toThrow('the resolver factory of "ok" is not a function');
  });
});

test("createChannel throws at once, before any connection attempt", () => {
  expect(() => createChannel("http://127.0.0.1:50051")).toThrow(TypeError);
  expect(() => createChannel("http://127.0.0.1:50051")).toThrow(/Accepted forms: host:port, dns:/);
});
