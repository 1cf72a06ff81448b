import { ConnectResponseReader, MAX_RESPONSE_HEAD, ProxyProtocolError } from "./connect-response.js";

const bytes = (text: string): Buffer => Buffer.from(text, "latin1");

/** Feeds `input` in chunks cut at `cuts`; returns the result and how many pushes it took. */
function readInChunks(input: Buffer, cuts: readonly number[]) {
  const reader = new ConnectResponseReader();
  const bounds = [0, ...cuts, input.length];
  for (let i = 1; i < bounds.length; i++) {
    const result = reader.push(input.subarray(bounds[i - 1], bounds[i]));
    if (result !== undefined) return { result, pushes: i };
  }
  return undefined;
}

test.each([
  ["HTTP/1.1 200 Connection established\r\n\r\n", 200, "Connection established", [], ""],
  ["HTTP/1.0 200 OK\r\nProxy-Agent: squid\r\n\r\n", 200, "OK", [["proxy-agent", "squid"]], ""],
  ["HTTP/1.1 200\r\n\r\n", 200, "", [], ""],
  ["HTTP/1.1 204 No Content\r\n\r\nPRI * HTTP/2.0", 204, "No Content", [], "PRI * HTTP/2.0"],
  ["HTTP/1.1 200 OK\n\nrest", 200, "OK", [], "rest"], // bare LF line ends
  ["HTTP/1.1 200 OK\r\nX-A:  1 \r\nx-b:\r\n\r\n\r\n", 200, "OK", [["x-a", "1"], ["x-b", ""]], "\r\n"],
  ["HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nafter", 200, "OK", [], "after"],
  ["HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"x\"\r\nContent-Length: 0\r\n\r\n", 407, "Proxy Authentication Required", [["proxy-authenticate", 'Basic realm="x"'], ["content-length", "0"]], ""],
  ["HTTP/1.1 503 Service Unavailable\r\n\r\n<html>", 503, "Service Unavailable", [], "<html>"],
])("%j", (text, status, reason, headers, rest) => {
  const input = bytes(text);
  // Every way of cutting it in two, and one byte at a time.
  const splits = [...Array.from({ length: input.length - 1 }, (_, i) => [i + 1]), Array.from({ length: input.length - 1 }, (_, i) => i + 1)];
  for (const cuts of splits) {
    const read = readInChunks(input, cuts);
    expect(read).toBeDefined();
    const { result, pushes } = read!;
    expect(result.response).toEqual({ status, reason, headers });
    // The rest is what followed the head in the chunk that completed it; later chunks were not pushed.
    const consumed = Buffer.concat([result.rest, input.subarray(cuts[pushes - 1] ?? input.length)]);
    expect(pushes === cuts.length + 1 ? result.rest.toString("latin1") : consumed.toString("latin1")).toBe(rest);
  }
});

test("an incomplete head asks for more", () => {
  const reader = new ConnectResponseReader();
  expect(reader.push(bytes("HTTP/1.1 200 OK\r\n"))).toBeUndefined();
  expect(reader.push(bytes("Via: 1.1 p\r\n\r"))).toBeUndefined();
  expect(reader.push(bytes("\n"))?.response.status).toBe(200);
});

test.each([
  ["SSH-2.0-OpenSSH\r\n\r\n", /not an HTTP\/1\.x status line: "SSH-2.0-OpenSSH"/],
  ["HTTP/2 200\r\n\r\n", /not an HTTP\/1\.x status line/],
  ["HTTP/1.1 20 OK\r\n\r\n", /not an HTTP\/1\.x status line/],
  ["HTTP/1.1 099 Odd\r\n\r\n", /not an HTTP\/1\.x status line/],
  ["HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", /malformed header line "no colon here"/],
  ["HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", /malformed header line/],
  ["HTTP/1.1 200 OK\r\n folded: x\r\n\r\n", /malformed header line/],
])("%j is a protocol error", (text, message) => {
  const reader = new ConnectResponseReader();
  expect(() => reader.push(bytes(text))).toThrow(ProxyProtocolError);
  expect(() => new ConnectResponseReader().push(bytes(text))).toThrow(message);
});

test("a head larger than the bound is a protocol error, even without its end", () => {
  const reader = new ConnectResponseReader();
  expect(reader.push(bytes("HTTP/1.1 200 OK\r\n"))).toBeUndefined();
  const filler = bytes(`X-Filler: ${"a".repeat(1000)}\r\n`);
  let error: unknown;
  try {
    for (let i = 0; i < 20; i++) reader.push(filler);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ProxyProtocolError);
  expect(String(error)).toContain(`response head exceeds ${MAX_RESPONSE_HEAD} bytes`);
});
