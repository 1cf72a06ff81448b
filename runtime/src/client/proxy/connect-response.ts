// Reads a proxy's answer to CONNECT (RFC 9112 status line and header fields)
// from chunks as they arrive: the head may be split anywhere, and the bytes
// after it already belong to the tunnel. Interim 1xx responses are skipped;
// any 2xx is success (RFC 9110 §9.3.6), which the caller decides.
import { Buffer } from "node:buffer";

export interface ConnectResponse {
  readonly status: number;
  readonly reason: string;
  /** Field names in lower case, in the order received. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

export interface ConnectResult {
  readonly response: ConnectResponse;
  /** Bytes after the header block: the start of the tunnelled stream. */
  readonly rest: Buffer;
}

/** The response is not HTTP/1.x, or its head is too large. */
export class ProxyProtocolError extends Error {
  override name = "ProxyProtocolError";
}

/** Bound on the head, so a peer that is not a proxy cannot make us buffer without end. */
export const MAX_RESPONSE_HEAD = 16 * 1024;

const STATUS_LINE = /^HTTP\/1\.[01] ([1-9]\d\d)(?: ([^\r\n]*))?$/;
const FIELD_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export class ConnectResponseReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds a chunk; returns the final response and the bytes after it once its head is complete. */
  push(chunk: Uint8Array): ConnectResult | undefined {
    const searchFrom = Math.max(0, this.buffered.length - 3);
    this.buffered = this.buffered.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffered, chunk]);
    for (let from = searchFrom; ; ) {
      const end = headEnd(this.buffered, from);
      if (end === undefined) {
        if (this.buffered.length > MAX_RESPONSE_HEAD) {
          throw new ProxyProtocolError(`protocol error: response head exceeds ${MAX_RESPONSE_HEAD} bytes`);
        }
        return undefined;
      }
      const response = parseHead(this.buffered.toString("latin1", 0, end.start));
      const rest = this.buffered.subarray(end.next);
      if (response.status >= 200) return { response, rest };
      // 1xx: informational, a final response follows.
      this.buffered = Buffer.from(rest);
      from = 0;
    }
  }
}

/** Finds the empty line ending a head: CRLF CRLF, or bare LF LF as RFC 9112 §2.2 lets recipients accept. */
function headEnd(bytes: Buffer, from: number): { start: number; next: number } | undefined {
  for (let i = from; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    if (bytes[i + 1] === 0x0a) return { start: i, next: i + 2 };
    if (bytes[i + 1] === 0x0d && bytes[i + 2] === 0x0a) return { start: i, next: i + 3 };
  }
  return undefined;
}

function parseHead(head: string): ConnectResponse {
  const lines = head.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  const statusLine = lines[0]!;
  const status = STATUS_LINE.exec(statusLine);
  if (status === null) throw new ProxyProtocolError(`protocol error: not an HTTP/1.x status line: ${JSON.stringify(statusLine.slice(0, 80))}`);
  const headers: Array<readonly [string, string]> = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    const name = colon < 0 ? "" : line.slice(0, colon);
    if (!FIELD_NAME.test(name)) throw new ProxyProtocolError(`protocol error: malformed header line ${JSON.stringify(line.slice(0, 80))}`);
    headers.push([name.toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return { status: Number(status[1]), reason: status[2] ?? "", headers };
}
