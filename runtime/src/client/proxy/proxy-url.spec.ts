import { parseProxyUrl, redactProxyUrl } from "./proxy-url.js";

const basic = (credentials: string): string => `Basic ${Buffer.from(credentials, "utf8").toString("base64")}`;

test.each([
  ["http://proxy.corp:3128", { host: "proxy.corp", port: 3128, address: "proxy.corp:3128", authorization: undefined }],
  ["http://proxy.corp", { host: "proxy.corp", port: 80, address: "proxy.corp:80", authorization: undefined }],
  ["http://proxy.corp:3128/", { host: "proxy.corp", port: 3128, address: "proxy.corp:3128", authorization: undefined }],
  ["proxy.corp:3128", { host: "proxy.corp", port: 3128, address: "proxy.corp:3128", authorization: undefined }],
  ["HTTP://Proxy.Corp:3128", { host: "proxy.corp", port: 3128, address: "proxy.corp:3128", authorization: undefined }],
  ["http://10.0.0.1:8080", { host: "10.0.0.1", port: 8080, address: "10.0.0.1:8080", authorization: undefined }],
  ["http://[::1]:8080", { host: "::1", port: 8080, address: "[::1]:8080", authorization: undefined }],
  ["http://user:pass@proxy:1", { host: "proxy", port: 1, address: "proxy:1", authorization: basic("user:pass") }],
  ["http://user@proxy:1", { host: "proxy", port: 1, address: "proxy:1", authorization: basic("user:") }],
  ["http://us%40er:p%3Ass%20w@proxy:1", { host: "proxy", port: 1, address: "proxy:1", authorization: basic("us@er:p:ss w") }],
  ["http://j%C3%B6rg:x@proxy:1", { host: "proxy", port: 1, address: "proxy:1", authorization: basic("jörg:x") }],
])("%s", (text, expected) => {
  expect(parseProxyUrl(text)).toEqual(expected);
});

test.each([
  ["https://proxy:443", /uses https:\/\/ \(only http:\/\/ proxies are supported\)/],
  ["socks5://proxy:1080", /uses socks5:\/\//],
  ["http://", /is not a URL/],
  ["http://proxy:99999", /is not a URL/],
  ["http://proxy:3128/path", /has a path, query or fragment/],
  ["http://proxy:3128?x=1", /has a path, query or fragment/],
  ["http://proxy:3128#x", /has a path, query or fragment/],
  ["http://user:%E0%A4%A@proxy", /malformed percent-encoding/],
  ["", /is not a URL/],
])("%s is a TypeError", (text, message) => {
  expect(() => parseProxyUrl(text)).toThrow(TypeError);
  expect(() => parseProxyUrl(text)).toThrow(message);
});

test("errors never show the password", () => {
  expect(() => parseProxyUrl("https://alice:s3cret@proxy")).toThrow('invalid proxy URL "https://alice:***@proxy"');
  expect(() => parseProxyUrl("alice:s3cret@proxy/x")).toThrow('invalid proxy URL "alice:***@proxy/x"');
});

test.each([
  ["http://a:b@h:1", "http://a:***@h:1"],
  ["http://a@h:1", "http://a@h:1"],
  ["http://h:1", "http://h:1"],
  ["a:b@h", "a:***@h"],
])("redactProxyUrl(%s)", (text, expected) => {
  expect(redactProxyUrl(text)).toBe(expected);
});
