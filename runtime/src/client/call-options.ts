// Per-call options (DESIGN.md "CallOptions") and how they combine.
import type { Compression } from "../grpc/compression.js";
import { Metadata, type MetadataInit, toMetadata } from "../grpc/metadata.js";

/**
 * A call this one is made on behalf of — typically the `ServerContext` of the
 * handler making it. The new call inherits its deadline and is cancelled with it.
 */
export interface CallParent {
  /** `Date.now()` timestamp in ms. */
  readonly deadline?: number | undefined;
  readonly signal?: AbortSignal;
}

export interface CallOptions {
  /** Milliseconds from now. Combined with `deadline` and `parent`, the earliest wins. */
  readonly timeout?: number;
  /** Absolute deadline: a Date or a `Date.now()` timestamp in ms. */
  readonly deadline?: Date | number;
  /** Aborting it cancels the call (RST_STREAM CANCEL); the call fails with CANCELLED. */
  readonly signal?: AbortSignal;
  /** Propagates deadline and cancellation from a server handler's context. */
  readonly parent?: CallParent;
  /** Request metadata. Pass a `Metadata` you reuse to have it converted to headers once. */
  readonly metadata?: MetadataInit;
  /** Called with the response headers, when the server sends any (not for Trailers-Only responses). */
  readonly onHeader?: (headers: Metadata) => void;
  /** Called with the trailers before the call settles. */
  readonly onTrailer?: (trailers: Metadata) => void;
  /** Request compression; defaults to the channel's. */
  readonly compression?: Compression;
  /** Wait for the channel to connect (until the deadline) instead of failing with UNAVAILABLE. */
  readonly waitForReady?: boolean;
}

/** The earliest of timeout, deadline and the parent's deadline, as a `Date.now()` timestamp. */
export function effectiveDeadline(options: CallOptions | undefined): number | undefined {
  if (options === undefined) return undefined;
  let deadline = options.deadline instanceof Date ? options.deadline.getTime() : options.deadline;
  if (options.timeout !== undefined) {
    const fromTimeout = Date.now() + options.timeout;
    deadline = deadline === undefined ? fromTimeout : Math.min(deadline, fromTimeout);
  }
  const parentDeadline = options.parent?.deadline;
  if (parentDeadline !== undefined) deadline = deadline === undefined ? parentDeadline : Math.min(deadline, parentDeadline);
  return deadline;
}

/** Client-wide defaults under per-call options; metadata of both is sent. */
export function mergeCallOptions(defaults: CallOptions | undefined, options: CallOptions | undefined): CallOptions | undefined {
  if (defaults === undefined) return options;
  if (options === undefined) return defaults;
  const merged: CallOptions = { ...defaults, ...options };
  if (defaults.metadata !== undefined && options.metadata !== undefined) {
    const metadata = new Metadata(toMetadata(defaults.metadata)).merge(toMetadata(options.metadata)!);
    return { ...merged, metadata };
  }
  return merged;
}
