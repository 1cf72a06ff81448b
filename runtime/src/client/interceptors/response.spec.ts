// respondWith(): the response of a short-circuit, and the status it settles.
import { GrpcError } from "../../grpc/grpc-error.js";
import { Status } from "../../grpc/status.js";
import { respondWith, wasReceived } from "./response.js";

describe("respondWith", () => {
  test("messages, then OK with the given trailers", async () => {
    const response = respondWith(["a", "b"], { headers: { "x-h": "1" }, trailers: { "x-t": "2" } });
    expect((await response.headers).get("x-h")).toBe("1");
    const seen: string[] = [];
    for await (const m of response.messages) seen.push(m);
    expect(seen).toEqual(["a", "b"]);
    const status = await response.status;
    expect(status.error).toBeNull();
    expect(status.trailers.get("x-t")).toBe("2");
  });

  test("headers and trailers left out count as not sent", async () => {
    const response = respondWith([1]);
    expect(wasReceived(await response.headers)).toBe(false);
    for await (const _ of response.messages);
    expect(wasReceived((await response.status).trailers)).toBe(false);
  });

  test("an iterable that throws fails the call: a GrpcError as is, its metadata as trailers", async () => {
    const failure = new GrpcError(Status.ABORTED, "conflict", { metadata: { "x-t": "9" } });
    const response = respondWith(
      (async function* () {
        yield 1;
        throw failure;
      })(),
    );
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const m of response.messages) seen.push(m);
      })(),
    ).rejects.toBe(failure);
    expect(seen).toEqual([1]);
    const status = await response.status;
    expect(status.error).toBe(failure);
    expect(status.trailers.get("x-t")).toBe("9");
  });

  test("anything else thrown becomes UNKNOWN", async () => {
    const response = respondWith({
      [Symbol.iterator]: () => ({
        next: () => {
          throw new TypeError("broken");
        },
      }),
    });
    const error = (await response.messages[Symbol.asyncIterator]().next().catch((e: unknown) => e)) as GrpcError;
    expect([error.code, error.details]).toEqual([Status.UNKNOWN, "broken"]);
    expect((await response.status).error).toBe(error);
  });

  test("leaving early, even before the first read, settles CANCELLED and stops the source", async () => {
    let stopped = false;
    const source = (async function* () {
      try {
        yield 1;
        yield 2;
      } finally {
        stopped = true;
      }
    })();
    const response = respondWith(source);
    const iterator = response.messages[Symbol.asyncIterator]();
    expect(await iterator.next()).toEqual({ done: false, value: 1 });
    await iterator.return!();
    expect(stopped).toBe(true);
    expect((await response.status).error?.code).toBe(Status.CANCELLED);

    const unread = respondWith([1]);
    await unread.messages[Symbol.asyncIterator]().return!();
    expect((await unread.status).error?.code).toBe(Status.CANCELLED);
  });
});
