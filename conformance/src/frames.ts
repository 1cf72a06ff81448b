// The conformance pipe protocol: each message is a 4-byte little-endian
// length followed by that many bytes. Frames are cut synchronously from the
// chunks as they arrive.

/** Accumulates chunks and hands out complete frames. */
export class FrameDecoder {
  private buffer: Uint8Array = new Uint8Array(0);

  /** Appends `chunk` and returns every frame that is now complete, in order. */
  push(chunk: Uint8Array): Uint8Array[] {
    this.buffer = this.buffer.length === 0 ? chunk : concat(this.buffer, chunk);
    const frames: Uint8Array[] = [];
    let pos = 0;
    while (this.buffer.length - pos >= 4) {
      const view = new DataView(this.buffer.buffer, this.buffer.byteOffset + pos, 4);
      const length = view.getUint32(0, true);
      if (this.buffer.length - pos - 4 < length) break;
      frames.push(this.buffer.subarray(pos + 4, pos + 4 + length));
      pos += 4 + length;
    }
    this.buffer = this.buffer.subarray(pos);
    return frames;
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get pending(): number {
    return this.buffer.length;
  }
}

/** `payload` with its 4-byte little-endian length prefix. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(4 + payload.length);
  new DataView(frame.buffer).setUint32(0, payload.length, true);
  frame.set(payload, 4);
  return frame;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
