import { constants } from "node:http2";
import { Status, statusName, toStatus } from "./status.js";
import { statusFromHttpStatus, statusFromRstCode } from "./status-mapping.js";

test("the 17 codes have their wire values", () => {
  expect(Status.OK).toBe(0);
  expect(Status.CANCELLED).toBe(1);
  expect(Status.DEADLINE_EXCEEDED).toBe(4);
  expect(Status.RESOURCE_EXHAUSTED).toBe(8);
  expect(Status.UNIMPLEMENTED).toBe(12);
  expect(Status.UNAUTHENTICATED).toBe(16);
  expect(Object.keys(Status).filter((k) => Number.isNaN(Number(k)))).toHaveLength(17);
});

test.each([
  [0, Status.OK],
  [16, Status.UNAUTHENTICATED],
  [17, Status.UNKNOWN],
  [-1, Status.UNKNOWN],
  [1.5, Status.UNKNOWN],
])("toStatus(%p) = %p", (code, status) => {
  expect(toStatus(code)).toBe(status);
});

test("statusName", () => {
  expect(statusName(Status.NOT_FOUND)).toBe("NOT_FOUND");
  expect(statusName(42)).toBe("CODE_42");
});

describe("HTTP status without grpc-status", () => {
  const table: Array<[number, Status]> = [
    [400, Status.INTERNAL],
    [401, Status.UNAUTHENTICATED],
    [403, Status.PERMISSION_DENIED],
    [404, Status.UNIMPLEMENTED],
    [429, Status.UNAVAILABLE],
    [502, Status.UNAVAILABLE],
    [503, Status.UNAVAILABLE],
    [504, Status.UNAVAILABLE],
    [200, Status.UNKNOWN],
    [415, Status.UNKNOWN],
    [500, Status.UNKNOWN],
    [302, Status.UNKNOWN],
  ];
  test.each(table)("%p -> %p", (http, status) => {
    expect(statusFromHttpStatus(http)).toBe(status);
  });
});

describe("RST_STREAM code", () => {
  const table: Array<[string, number, Status]> = [
    ["NO_ERROR", constants.NGHTTP2_NO_ERROR, Status.INTERNAL],
    ["PROTOCOL_ERROR", constants.NGHTTP2_PROTOCOL_ERROR, Status.INTERNAL],
    ["INTERNAL_ERROR", constants.NGHTTP2_INTERNAL_ERROR, Status.INTERNAL],
    ["FLOW_CONTROL_ERROR", constants.NGHTTP2_FLOW_CONTROL_ERROR, Status.INTERNAL],
    ["SETTINGS_TIMEOUT", constants.NGHTTP2_SETTINGS_TIMEOUT, Status.INTERNAL],
    ["FRAME_SIZE_ERROR", constants.NGHTTP2_FRAME_SIZE_ERROR, Status.INTERNAL],
    ["REFUSED_STREAM", constants.NGHTTP2_REFUSED_STREAM, Status.UNAVAILABLE],
    ["CANCEL", constants.NGHTTP2_CANCEL, Status.CANCELLED],
    ["COMPRESSION_ERROR", constants.NGHTTP2_COMPRESSION_ERROR, Status.INTERNAL],
    ["CONNECT_ERROR", constants.NGHTTP2_CONNECT_ERROR, Status.INTERNAL],
    ["ENHANCE_YOUR_CALM", constants.NGHTTP2_ENHANCE_YOUR_CALM, Status.RESOURCE_EXHAUSTED],
    ["INADEQUATE_SECURITY", constants.NGHTTP2_INADEQUATE_SECURITY, Status.PERMISSION_DENIED],
    ["unknown 0x99", 0x99, Status.INTERNAL],
  ];
  test.each(table)("%s -> %p", (_name, code, status) => {
    expect(statusFromRstCode(code)).toBe(status);
  });
});
