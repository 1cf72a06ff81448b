import { parseTarget, type Target } from "./target.js";

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
];
test.each(table)("%p", (target, parsed) => {
  expect(parseTarget(target)).toEqual(parsed);
});

test.each(["", ":50051", "host:port", "host:70000", "[::1", "[::1]x", "unix:", "unix://relative", "dns://auth"])(
  "%p is rejected",
  (target) => {
    expect(() => parseTarget(target)).toThrow(TypeError);
  },
);
