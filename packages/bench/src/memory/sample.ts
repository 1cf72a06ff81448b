// One reading of a process's memory: what process.memoryUsage() says, the
// resident set split as /proc/self/status splits it (anonymous memory is the
// heaps: V8's and malloc's; file-backed is the mapped code), and the size of
// glibc's main malloc heap (the [heap] mapping of /proc/self/maps), which
// only shrinks when its top is free: a chunk still in use high up keeps
// everything below it, freed or not.
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
  /** Size of the [heap] mapping (glibc's main arena, grown with brk), bytes; undefined off Linux. */
  readonly mallocHeap?: number;
}

function statusKiB(status: string, field: string): number | undefined {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
  return m === null ? undefined : Number(m[1]) * 1024;
}

function heapMapping(maps: string): number | undefined {
  const m = /^([0-9a-f]+)-([0-9a-f]+) .*\[heap\]$/m.exec(maps);
  return m === null ? undefined : parseInt(m[2]!, 16) - parseInt(m[1]!, 16);
}

export function sampleMemory(): MemorySample {
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  let rssAnon: number | undefined;
  let mallocHeap: number | undefined;
  try {
    rssAnon = statusKiB(readFileSync("/proc/self/status", "utf8"), "RssAnon");
    mallocHeap = heapMapping(readFileSync("/proc/self/maps", "utf8"));
  } catch {
    // not Linux
  }
  return {
    rss,
    ...(rssAnon !== undefined ? { rssAnon } : {}),
    heapUsed,
    heapTotal,
    external,
    arrayBuffers,
    ...(mallocHeap !== undefined ? { mallocHeap } : {}),
  };
}
