import { type ListenAddress, parseListenAddress } from "./listen-address.js";

const table: Array<[string, ListenAddress]> = [
  ["127.0.0.1:0", { kind: "tcp", host: "127.0.0.1", port: 0 }],
  ["0.0.0.0:50051", { kind: "tcp", host: "0.0.0.0", port: 50051 }],
  ["localhost:1", { kind: "tcp", host: "localhost", port: 1 }],
  ["[::]:8080", { kind: "tcp", host: "::", port: 8080 }],
  [":9000", { kind: "tcp", host: undefined, port: 9000 }],
  ["unix:/tmp/s.sock", { kind: "unix", path: "/tmp/s.sock" }],
  ["unix:///tmp/s.sock", { kind: "unix", path: "/tmp/s.sock" }],
  ["unix-abstract:grpc", { kind: "unix", path: "\0grpc" }],
];
test.each(table)("%p", (address, parsed) => {
  expect(parseListenAddress(address)).toEqual(parsed);
});

test.each(["", "localhost", "host:x", "host:65536", "[::1]", "[::1]8080", "unix:", "unix-abstract:a\0b"])("%p is rejected", (address) => {
  expect(() => parseListenAddress(address)).toThrow(TypeError);
});
