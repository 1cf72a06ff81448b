import { Metadata } from "../grpc/metadata.js";
import { effectiveDeadline, mergeCallOptions } from "./call-options.js";

describe("effectiveDeadline", () => {
  beforeEach(() => jest.useFakeTimers({ now: 10_000 }));
  afterEach(() => jest.useRealTimers());

  test.each([
    [{}, undefined],
    [{ timeout: 500 }, 10_500],
    [{ deadline: 12_000 }, 12_000],
    [{ deadline: new Date(12_000) }, 12_000],
    [{ deadline: 12_000, timeout: 500 }, 10_500],
    [{ deadline: 10_100, timeout: 500 }, 10_100],
    [{ parent: { deadline: 10_200 } }, 10_200],
    [{ parent: { deadline: 10_200 }, timeout: 100 }, 10_100],
    [{ parent: { deadline: undefined }, timeout: 100 }, 10_100],
  ])("%p -> %p", (options, deadline) => {
    expect(effectiveDeadline(options)).toBe(deadline);
  });
});

test("mergeCallOptions: per-call wins, metadata of both is sent", () => {
  const merged = mergeCallOptions(
    { timeout: 1, metadata: { "x-a": "default" }, compression: "gzip" },
    { timeout: 2, metadata: new Metadata({ "x-a": "call", "x-b": "b" }) },
  )!;
  expect(merged.timeout).toBe(2);
  expect(merged.compression).toBe("gzip");
  expect((merged.metadata as Metadata).getAll("x-a")).toEqual(["default", "call"]);
  const only = { timeout: 3 };
  expect(mergeCallOptions(undefined, only)).toBe(only);
  expect(mergeCallOptions(only, undefined)).toBe(only);
});
