// One reading of a process's memory: what process.memoryUsage() says, and
// the resident set split as /proc/self/status splits it (anonymous memory is
// the heaps: V8's and malloc's; file-backed is the mapped code).
import { readFileSync } from "node:fs";

export interface MemorySample {
  /** Resident set, bytes. */
  readonly rss: number;
  /** Anonymous part of the resident set (V8 and malloc heaps), bytes; undefined off Linux. */
  readonly rssAnon?: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Memory of C++ objects bound to JS objects, ArrayBuffers included. */
  readonly external: number;
  readonly arrayBuffers: number;
}

function statusKiB(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
  return m === null ? undefined : Number(m[1]) * 1024;
}

export function sampleMemory(): MemorySample {
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  let rssAnon: number | undefined;
  try {
    rssAnon = statusKiB(readFileSync("/proc/self/status", "utf8"), "RssAnon");
  } catch {
    // not Linux
  }
  return { rss, ...(rssAnon !== undefined ? { rssAnon } : {}), heapUsed, heapTotal, external, arrayBuffers };
}
