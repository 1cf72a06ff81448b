import { parseNoProxy } from "./no-proxy.js";

// [no_proxy value, host, port, bypasses the proxy]
test.each([
  ["", "example.com", 443, false],
  ["*", "anything.example", 1, true],
  ["a.com, *", "b.com", 1, true],
  ["example.com", "example.com", 443, true],
  ["example.com", "api.example.com", 443, true],
  ["example.com", "badexample.com", 443, false],
  [".example.com", "example.com", 443, true],
  [".example.com", "a.b.example.com", 443, true],
  ["*.example.com", "api.example.com", 443, true],
  ["Example.COM", "API.example.com.", 443, true],
  ["example.com:8443", "example.com", 8443, true],
  ["example.com:8443", "example.com", 443, false],
  [" other.org ,example.com ", "example.com", 443, true],
  ["localhost", "localhost", 50051, true],
  ["127.0.0.1", "127.0.0.1", 50051, true],
  ["127.0.0.1", "127.0.0.2", 50051, false],
  ["127.0.0.1:50051", "127.0.0.1", 50051, true],
  ["127.0.0.1:50051", "127.0.0.1", 50052, false],
  ["10.0.0.0/8", "10.200.3.4", 443, true],
  ["10.0.0.0/8", "11.0.0.1", 443, false],
  ["192.168.1.0/24", "192.168.1.255", 443, true],
  ["0.0.0.0/0", "8.8.8.8", 443, true],
  ["10.0.0.0/8", "ten.example", 443, false],
  ["::1", "::1", 443, true],
  ["[::1]", "::1", 443, true],
  ["[::1]:443", "::1", 443, true],
  ["[::1]:443", "::1", 444, false],
  ["0:0::1", "::1", 443, true],
  ["fd00::/8", "fd12:3456::1", 443, true],
  ["fd00::/8", "fe80::1", 443, false],
  ["127.0.0.1", "localhost", 443, false], // no DNS: names and addresses do not match each other
  ["1.2.3.4", "1.2.3.4.example", 443, false],
])("no_proxy=%j: %s:%d bypasses: %s", (list, host, port, bypasses) => {
  expect(parseNoProxy(list).matches(host, port)).toBe(bypasses);
});

test("entries of no recognised form are reported and match nothing", () => {
  const list = parseNoProxy("10.0.0.0/33, example.com:port, [::1, fd00::/129, a*b.com, good.com");
  expect(list.invalid).toEqual(["10.0.0.0/33", "example.com:port", "[::1", "fd00::/129", "a*b.com"]);
  expect(list.matches("good.com", 1)).toBe(true);
  expect(list.matches("10.0.0.1", 1)).toBe(false);
});
