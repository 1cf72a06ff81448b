import { createChannel } from "./channel.js";
import { parseTarget, TARGET_FORMS, type Target } from "./target.js";

const table: Array<[string, Target]> = [
  ["localhost:50051", { kind: "tcp", host: "localhost", port: 50051, authority: "localhost:50051" }],
  ["example.com", { kind: "tcp", host: "example.com", port: 443, authority: "example.com:443" }],
  ["127.0.0.1:1", { kind: "tcp", host: "127.0.0.1", port: 1, authority: "127.0.0.1:1" }],
  ["[::1]:8080", { kind: "tcp", host: "::1", port: 8080, authority: "[::1]:8080" }],
  ["dns:///svc.local:9000", { kind: "tcp", host: "svc.local", port: 9000, authority: "svc.local:9000" }],
  ["dns://8.8.8.8/svc.local:9000", { kind: "tcp", host: "svc.local", port: 9000, authority: "svc.local:9000" }],
  ["dns:svc.local:9000", { kind: "tcp", host: "svc.local", port: 9000, authority: "svc.local:9000" }],
  ["ipv4:10.0.0.1:5,10.0.0.2:6", { kind: "tcp", host: "10.0.0.1", port: 5, authority: "10.0.0.1:5" }],
  ["ipv4:10.0.0.1", { kind: "tcp", host: "10.0.0.1", port: 443, authority: "10.0.0.1:443" }],
  ["ipv6:[::1]:7,[::2]:8", { kind: "tcp", host: "::1", port: 7, authority: "[::1]:7" }],
  ["ipv6:::1", { kind: "tcp", host: "::1", port: 443, authority: "[::1]:443" }],
  ["unix:/tmp/grpc.sock", { kind: "unix", path: "/tmp/grpc.sock", authority: "localhost" }],
  ["unix:///tmp/grpc.sock", { kind: "unix", path: "/tmp/grpc.sock", authority: "localhost" }],
  ["unix:relative.sock", { kind: "unix", path: "relative.sock", authority: "localhost" }],
  ["unix-abstract:grpc-test", { kind: "unix", path: "\0grpc-test", authority: "localhost" }],
  ["my-service_1.internal.:80", { kind: "tcp", host: "my-service_1.internal.", port: 80, authority: "my-service_1.internal.:80" }],
  ["dns:[::1]:5", { kind: "tcp", host: "::1", port: 5, authority: "[::1]:5" }],
];
test.each(table)("%p", (target, parsed) => {
  expect(parseTarget(target)).toEqual(parsed);
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
  ["dns://auth", "needs a host after the authority (dns:///host:port)"],
  ["ipv4:10.0.0.1:5,example.com:6", '"example.com" is not an IPv4 address'],
  ["ipv4:256.0.0.1", '"256.0.0.1" is not an IPv4 address'],
  ["ipv6:10.0.0.1", '"10.0.0.1" is not an IPv6 address'],
  ["host name:1", '"host name" is not a host name or IP address'],
  ["a/b:1", '"a/b" is not a host name or IP address'],
  ["http://127.0.0.1:50051", '"http://" is not a channel target scheme (for a server at that address, write "127.0.0.1:50051")'],
  ["https://example.com/", '"https://" is not a channel target scheme (for a server at that address, write "example.com")'],
  ["xds:///svc", '"xds://" is not a channel target scheme'],
];
test.each(rejected)("%p is a TypeError: %s", (target, why) => {
  expect(() => parseTarget(target)).toThrow(new TypeError(`invalid channel target ${JSON.stringify(target)}: ${why}. Accepted forms: ${TARGET_FORMS}`));
});

test("the error names every accepted form", () => {
  for (const form of ["host:port", "dns:[//authority/]host[:port]", "ipv4:addr[:port][,…]", "ipv6:[addr][:port][,…]", "unix:path", "unix:///abs/path", "unix-abstract:name"]) {
    expect(TARGET_FORMS).toContain(form);
  }
});

test("createChannel throws at once, before any connection attempt", () => {
  expect(() => createChannel("http://127.0.0.1:50051")).toThrow(TypeError);
  expect(() => createChannel("http://127.0.0.1:50051")).toThrow(/Accepted forms: host:port, dns:/);
});
