// The calls in flight, for forceShutdown, linked through the calls
// themselves. A Set of call objects cost an identity hash per call and table
// resizes as calls came and went: about 0.4% of a unary call's instructions
// on the server, where this costs a few stores.

/** What a call carries to be listed. */
export interface Linked<T> {
  listPrev: T | undefined;
  listNext: T | undefined;
  listed: boolean;
}

export class CallList<T extends Linked<T>> {
  private head: T | undefined = undefined;
  private count = 0;

  get size(): number {
    return this.count;
  }

  add(call: T): void {
    if (call.listed) return;
    call.listed = true;
    call.listPrev = undefined;
    call.listNext = this.head;
    if (this.head !== undefined) this.head.listPrev = call;
    this.head = call;
    this.count++;
  }

  /** Removes `call`; nothing happens if it is not listed. */
  delete(call: T): void {
    if (!call.listed) return;
    call.listed = false;
    const prev = call.listPrev;
    const next = call.listNext;
    if (prev !== undefined) prev.listNext = next;
    else this.head = next;
    if (next !== undefined) next.listPrev = prev;
    call.listPrev = call.listNext = undefined;
    this.count--;
  }

  /** The calls listed now, newest first; safe to change the list while going through it. */
  toArray(): T[] {
    const out: T[] = [];
    for (let c = this.head; c !== undefined; c = c.listNext) out.push(c);
    return out;
  }
}
