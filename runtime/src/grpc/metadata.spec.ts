import { inspect } from "node:util";
import type { ServerContext } from "../server/context.js";
import { Metadata, type MetadataValue } from "./metadata.js";

describe("keys", () => {
  const valid: Array<[string, string]> = [
    ["x-user", "x-user"],
    ["X-User", "x-user"],
    ["a.b_c-d0", "a.b_c-d0"],
    ["grpc-custom", "grpc-custom"], // storable; filtered when sent
  ];
  test.each(valid)("%p is stored as %p", (key, stored) => {
    const md = new Metadata().set(key, "v");
    expect([...md.keys()]).toEqual([stored]);
    expect(md.get(key)).toBe("v");
  });

  const invalid = ["", "a b", "a:b", ":path", "ü", "a/b", "a\nb"];
  test.each(invalid)("%p is rejected", (key) => {
    expect(() => new Metadata().set(key, "v")).toThrow(TypeError);
  });
});

describe("values", () => {
  const table: Array<[string, unknown, boolean]> = [
    ["x-a", "printable ~ text", true],
    ["x-a", "", true],
    ["x-a", "tab\there", false],
    ["x-a", "new\nline", false],
    ["x-a", "del\x7f", false],
    ["x-a", "ü", false],
    ["x-a", new Uint8Array([1]), false],
    ["x-bin", new Uint8Array([0, 255]), true],
    ["x-bin", "text", false],
  ];
  test.each(table)("%p = %p valid: %p", (key, value, ok) => {
    const set = (): unknown => new Metadata().set(key, value as string);
    if (ok) expect(set).not.toThrow();
    else expect(set).toThrow(TypeError);
  });
});

test("repeated values, append, set, delete, merge, clone", () => {
  const md = new Metadata({ "x-a": ["1", "2"], "x-b": "b" });
  md.append("x-a", "3");
  expect(md.getAll("x-a")).toEqual(["1", "2", "3"]);
  expect(md.get("x-a")).toBe("1");
  md.set("x-a", "only");
  expect(md.getAll("x-a")).toEqual(["only"]);
  const copy = md.clone().merge(new Metadata([["x-b", "c"]]));
  expect(copy.getAll("x-b")).toEqual(["b", "c"]);
  expect(md.getAll("x-b")).toEqual(["b"]);
  expect(md.delete("x-b")).toBe(true);
  expect(md.has("x-b")).toBe(false);
  expect([...copy]).toEqual([
    ["x-a", "only"],
    ["x-b", "b"],
    ["x-b", "c"],
  ]);
  expect(copy.size).toBe(2);
});

describe("to HTTP/2 headers", () => {
  test("binary values are base64 without padding; repeated keys become lists", () => {
    const md = new Metadata()
      .append("x-bin", new Uint8Array([1]))
      .append("x-bin", new Uint8Array([1, 2]))
      .append("x-bin", new Uint8Array([1, 2, 3]))
      .set("x-one", "1");
    expect(md.toHttp2Headers()).toEqual({ "x-bin": ["AQ", "AQI", "AQID"], "x-one": "1" });
  });

  const reserved = [
    "grpc-status",
    "grpc-message",
    "grpc-timeout",
    "grpc-encoding",
    "grpc-custom",
    "content-type",
    "te",
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "host",
  ];
  test.each(reserved)("reserved %p is filtered", (key) => {
    const md = new Metadata().set(key, "x").set("x-ok", "y");
    expect(md.toHttp2Headers()).toEqual({ "x-ok": "y" });
  });

  test("grpc-trace-bin is allowed", () => {
    expect(new Metadata().set("grpc-trace-bin", new Uint8Array([9])).toHttp2Headers()).toEqual({ "grpc-trace-bin": "CQ" });
  });

  test("the header form is cached until the next change", () => {
    const md = new Metadata().set("x-a", "1");
    const first = md.toHttp2Headers();
    expect(md.toHttp2Headers()).toBe(first);
    md.append("x-a", "2");
    expect(md.toHttp2Headers()).not.toBe(first);
    expect(md.toHttp2Headers()).toEqual({ "x-a": ["1", "2"] });
  });
});

describe("from HTTP/2 headers", () => {
  test("binary values: padded and unpadded, comma-joined duplicates", () => {
    const md = Metadata.fromHttp2Headers({ "x-bin": "AQ==, AQI,AQID" });
    expect(md.getAll("x-bin")).toEqual([new Uint8Array([1]), new Uint8Array([1, 2]), new Uint8Array([1, 2, 3])]);
  });

  test("reserved and pseudo headers are dropped, others kept", () => {
    const md = Metadata.fromHttp2Headers({
      ":path": "/a/b",
      ":authority": "x",
      "content-type": "application/grpc",
      te: "trailers",
      "grpc-timeout": "1S",
      "grpc-status": "0",
      "user-agent": "ua",
      "x-custom": "v",
      "set-cookie": ["a", "b"],
    });
    expect(md.toJSON()).toEqual({ "user-agent": "ua", "x-custom": "v", "set-cookie": ["a", "b"] });
  });

  test("values outside the grammar are dropped without failing", () => {
    const md = Metadata.fromHttp2Headers({ "x-latin1": "caf\u00e9", "x-ok": "fine" });
    expect(md.has("x-latin1")).toBe(false);
    expect(md.get("x-ok")).toBe("fine");
  });

  test("round trip", () => {
    const md = new Metadata({ "x-a": ["1", "2"], "x-bin": new Uint8Array([0, 1, 2, 250]) });
    const h = md.toHttp2Headers();
    // node:http2 joins repeated headers with ", " on receipt
    const received = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : v]));
    const back = Metadata.fromHttp2Headers(received);
    expect(back.get("x-bin")).toEqual(new Uint8Array([0, 1, 2, 250]));
    expect(back.get("x-a")).toBe("1, 2");
  });
});

describe("typed by key", () => {
  // Compile-time checks (npm run typecheck), and what they mean at run time.
  test("-bin keys hold Uint8Array, other keys strings, a key typed string either", () => {
    const md = new Metadata().set("x-id", "7").set("x-trace-bin", Uint8Array.of(1)).append("X-Trace-BIN", Uint8Array.of(2));
    const id: string | undefined = md.get("x-id");
    const trace: Uint8Array | undefined = md.get("x-trace-bin");
    const traces: Uint8Array[] = md.getAll("x-trace-bin");
    const ids: string[] = md.getAll("x-id");
    const key: string = "x-id";
    const either: MetadataValue | undefined = md.get(key);
    const union: string | Uint8Array | undefined = md.get(Math.random() < 2 ? "x-id" : "x-trace-bin");
    // @ts-expect-error a -bin key does not hold a string
    const wrong: string | undefined = md.get("x-trace-bin");
    expect(() =>
      // @ts-expect-error an ASCII key does not hold bytes
      md.set("x-id", Uint8Array.of(1)),
    ).toThrow(TypeError);
    expect(() =>
      // @ts-expect-error a -bin key needs bytes
      md.append("x-trace-bin", "text"),
    ).toThrow(TypeError);
    expect([id, trace, traces, ids, either, union, wrong]).toEqual(["7", Uint8Array.of(1), [Uint8Array.of(1), Uint8Array.of(2)], ["7"], "7", "7", Uint8Array.of(1)]);
  });

  test("ServerContext.metadata: the obvious use is typed", () => {
    const ctx = { metadata: new Metadata({ "x-id": "42", "x-token-bin": Uint8Array.of(9) }) } as Pick<ServerContext, "metadata">;
    const id: string | undefined = ctx.metadata.get("x-id");
    const token: Uint8Array | undefined = ctx.metadata.get("x-token-bin");
    expect([id, token]).toEqual(["42", Uint8Array.of(9)]);
  });
});

describe("for people reading it", () => {
  const md = new Metadata()
    .set("x-id", "42")
    .append("x-multi", "a")
    .append("x-multi", "b")
    .set("x-trace-bin", Uint8Array.of(1, 2, 255));

  test("toJSON: one value as itself, several as an array, bytes as unpadded base64", () => {
    expect(md.toJSON()).toEqual({ "x-id": "42", "x-multi": ["a", "b"], "x-trace-bin": "AQL/" });
    expect(JSON.stringify(md)).toBe('{"x-id":"42","x-multi":["a","b"],"x-trace-bin":"AQL/"}');
    expect(new Metadata().set("x-b-bin", Uint8Array.of(1)).toJSON()).toEqual({ "x-b-bin": "AQ" });
  });

  test("inspect (console.log) shows keys and values, not internals", () => {
    expect(inspect(md)).toBe(
      "Metadata {\n  'x-id': '42',\n  'x-multi': [ 'a', 'b' ],\n  'x-trace-bin': Uint8Array(3) [ 1, 2, 255 ]\n}",
    );
    expect(inspect(new Metadata().set("x-id", "42"))).toBe("Metadata { 'x-id': '42' }");
    expect(inspect(new Metadata())).toBe("Metadata {}");
    expect(inspect({ nested: md }, { depth: 0 })).toBe("{ nested: [Metadata] }");
  });

  test("a __proto__ key is an own property of the plain forms", () => {
    const odd = new Metadata().set("__proto__", "x");
    expect(Object.keys(odd.toJSON())).toEqual(["__proto__"]);
    expect(inspect(odd)).toBe("Metadata { ['__proto__']: 'x' }");
  });
});
