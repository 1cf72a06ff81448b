import { GrpcError } from "./grpc-error.js";
import { Metadata } from "./metadata.js";
import { Status } from "./status.js";
import { statusFromTrailers, statusToTrailers } from "./trailers.js";

test("OK trailers are just grpc-status 0 plus trailer metadata", () => {
  expect(statusToTrailers(undefined, undefined)).toEqual({ "grpc-status": "0" });
  expect(statusToTrailers(undefined, new Metadata({ "x-t": "1" }))).toEqual({ "grpc-status": "0", "x-t": "1" });
  expect(statusFromTrailers({ "grpc-status": "0" })).toBeNull();
});

test("error trailers round trip: code, percent-encoded message, details, metadata", () => {
  const error = new GrpcError(Status.INVALID_ARGUMENT, "bad % input\n", {
    metadata: { "x-why": "because", "grpc-status": "9" },
    statusDetails: [{ typeUrl: "type.googleapis.com/x.Y", value: Uint8Array.of(1, 2) }],
  });
  const trailers = statusToTrailers(error, new Metadata({ "x-more": "m" }));
  expect(trailers["grpc-status"]).toBe("3");
  expect(trailers["grpc-message"]).toBe("bad %25 input%0A");
  expect(trailers["x-why"]).toBe("because");
  expect(trailers["x-more"]).toBe("m");
  const back = statusFromTrailers(trailers as Record<string, string>)!;
  expect(back).toBeInstanceOf(GrpcError);
  expect(back.code).toBe(Status.INVALID_ARGUMENT);
  expect(back.details).toBe("bad % input\n");
  expect(back.message).toBe("INVALID_ARGUMENT: bad % input\n");
  expect(back.metadata.get("x-why")).toBe("because");
  expect(back.metadata.has("grpc-status")).toBe(false);
  expect(back.statusDetails).toEqual([{ typeUrl: "type.googleapis.com/x.Y", value: Uint8Array.of(1, 2) }]);
  expect(back.rawStatusDetails).toBeInstanceOf(Uint8Array);
});

test.each([
  [{}, undefined],
  [{ "grpc-status": "5" }, Status.NOT_FOUND],
  [{ "grpc-status": "99" }, Status.UNKNOWN],
  [{ "grpc-status": "x" }, Status.UNKNOWN],
  [{ "grpc-status": "-1" }, Status.UNKNOWN],
])("statusFromTrailers(%p) has code %p", (headers, code) => {
  const status = statusFromTrailers(headers);
  expect(status === undefined ? undefined : status?.code).toBe(code);
});

test("undecodable details keep the raw bytes and give no typed details", () => {
  const status = statusFromTrailers({ "grpc-status": "2", "grpc-status-details-bin": "/w" })!;
  expect(status.rawStatusDetails).toEqual(Uint8Array.of(0xff));
  expect(status.statusDetails).toEqual([]);
});

test("GrpcError.from keeps GrpcErrors and wraps the rest", () => {
  const e = new GrpcError(Status.ABORTED, "x");
  expect(GrpcError.from(e)).toBe(e);
  const wrapped = GrpcError.from(new Error("boom"), Status.INTERNAL);
  expect(wrapped.code).toBe(Status.INTERNAL);
  expect(wrapped.details).toBe("boom");
  expect(wrapped.cause).toBeInstanceOf(Error);
  expect(new GrpcError(Status.CANCELLED).message).toBe("CANCELLED");
});
