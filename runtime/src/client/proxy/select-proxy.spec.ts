import nodeProcess from "node:process";
import { selectProxy } from "./select-proxy.js";

const target = { host: "api.example.com", port: 443 };

function proxyHost(env: Record<string, string>, destination = target): string | undefined {
  return selectProxy(destination, undefined, env)?.address;
}

let emitWarning: jest.SpyInstance;
beforeEach(() => {
  emitWarning = jest.spyOn(nodeProcess, "emitWarning").mockImplementation(() => {});
});
afterEach(() => emitWarning.mockRestore());

test.each([
  [{}, undefined],
  [{ grpc_proxy: "http://g:1" }, "g:1"],
  [{ https_proxy: "http://s:1" }, "s:1"],
  [{ HTTPS_PROXY: "http://u:1" }, "u:1"],
  [{ http_proxy: "http://h:1" }, "h:1"],
  [{ HTTP_PROXY: "http://H:1" }, undefined], // httpoxy: not read
  [{ grpc_proxy: "http://g:1", https_proxy: "http://s:1", http_proxy: "http://h:1" }, "g:1"],
  [{ https_proxy: "http://s:1", http_proxy: "http://h:1" }, "s:1"],
  [{ https_proxy: "http://s:1", HTTPS_PROXY: "http://u:1" }, "s:1"],
  [{ HTTPS_PROXY: "http://u:1", http_proxy: "http://h:1" }, "u:1"],
  [{ grpc_proxy: "", http_proxy: "http://h:1" }, "h:1"], // empty is unset
])("environment %j → %s", (env, expected) => {
  expect(proxyHost(env)).toBe(expected);
});

test.each([
  [{ no_proxy: "example.com" }, undefined],
  [{ NO_PROXY: "example.com" }, undefined],
  [{ no_grpc_proxy: "example.com" }, undefined],
  [{ no_grpc_proxy: "other.com", no_proxy: "example.com" }, "p:1"], // the first set list wins
  [{ no_proxy: "", NO_PROXY: "example.com" }, undefined],
  [{ no_proxy: "other.com" }, "p:1"],
  [{ no_proxy: "example.com:80" }, "p:1"],
])("no_proxy %j → %s", (env, expected) => {
  expect(proxyHost({ grpc_proxy: "http://p:1", ...env })).toBe(expected);
});

test("the option: false never proxies, a URL always does, and unix targets never do", () => {
  const env = { grpc_proxy: "http://env:1", no_proxy: "*" };
  expect(selectProxy(target, false, env)).toBeUndefined();
  expect(selectProxy(target, "http://opt:2", env)?.address).toBe("opt:2");
  expect(selectProxy(undefined, "http://opt:2", env)).toBeUndefined();
  expect(selectProxy(undefined, undefined, { grpc_proxy: "http://env:1" })).toBeUndefined();
});

test("a bad option is a TypeError, even for a unix target", () => {
  expect(() => selectProxy(target, "ftp://p", {})).toThrow(new TypeError('invalid proxy URL "ftp://p": uses ftp:// (only http:// proxies are supported)'));
  expect(() => selectProxy(undefined, "ftp://p", {})).toThrow(TypeError);
  expect(() => selectProxy(target, true as unknown as string, {})).toThrow(
    new TypeError("invalid proxy option true: expected a proxy URL string, false, or undefined"),
  );
  expect(() => selectProxy(target, 3128 as unknown as string, {})).toThrow(TypeError);
});

test("a bad environment value means no proxy, with one warning per value and no password in it", () => {
  const env = { https_proxy: "https://u:topsecret@proxy:443", http_proxy: "http://h:1" };
  expect(proxyHost(env)).toBeUndefined(); // not a fallback to http_proxy: the chosen variable is bad
  expect(proxyHost(env)).toBeUndefined();
  expect(emitWarning).toHaveBeenCalledTimes(1);
  const [message, options] = emitWarning.mock.calls[0]!;
  expect(message).toBe('ignoring https_proxy: invalid proxy URL "https://u:***@proxy:443": uses https:// (only http:// proxies are supported); channels connect without a proxy');
  expect(options).toEqual({ code: "TSGRPC_PROXY_ENV" });
  expect(proxyHost({ https_proxy: "http://a b" })).toBeUndefined();
  expect(emitWarning).toHaveBeenCalledTimes(2);
});

test("invalid no_proxy entries are warned about once and skipped", () => {
  const env = { grpc_proxy: "http://p:1", no_proxy: "10.0.0.0/99,api.example.com" };
  expect(proxyHost(env)).toBeUndefined();
  expect(proxyHost(env)).toBeUndefined();
  expect(emitWarning).toHaveBeenCalledTimes(1);
  expect(emitWarning.mock.calls[0]![0]).toBe("no_proxy: ignoring entries that are not a host, IP address or range: 10.0.0.0/99");
});
