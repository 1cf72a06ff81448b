import { MessageQueue, type QueueSource } from "./message-queue.js";

class Source implements QueueSource {
  events: string[] = [];
  pause(): void {
    this.events.push("pause");
  }
  resume(): void {
    this.events.push("resume");
  }
  abandon(): void {
    this.events.push("abandon");
  }
}

test("delivers pushed messages in order, then ends", async () => {
  const q = new MessageQueue<number>(new Source());
  q.push(1);
  q.push(2);
  q.end();
  const got: number[] = [];
  for await (const n of q) got.push(n);
  expect(got).toEqual([1, 2]);
});

test("a waiting consumer gets the next push directly", async () => {
  const q = new MessageQueue<number>(new Source());
  const next = q.next();
  q.push(7);
  expect(await next).toEqual({ done: false, value: 7 });
  expect(q.size).toBe(0);
});

test("an error is thrown after the buffered messages, once", async () => {
  const q = new MessageQueue<number>(new Source());
  q.push(1);
  q.end(new Error("boom"));
  expect(await q.next()).toEqual({ done: false, value: 1 });
  await expect(q.next()).rejects.toThrow("boom");
  expect(await q.next()).toEqual({ done: true, value: undefined });
});

test("an error that discards is thrown at once, before the buffered messages", async () => {
  const q = new MessageQueue<number>(new Source());
  q.push(1);
  q.push(2);
  q.end(new Error("cancelled"), true);
  q.push(3);
  expect(q.size).toBe(0);
  await expect(q.next()).rejects.toThrow("cancelled");
  expect(await q.next()).toEqual({ done: true, value: undefined });
});

test("pauses the source at the high-water mark and resumes at half", async () => {
  const source = new Source();
  const q = new MessageQueue<number>(source, 4);
  for (let i = 0; i < 6; i++) q.push(i); // pushes past the mark still land (a chunk decodes whole)
  expect(source.events).toEqual(["pause"]);
  expect(q.size).toBe(6);
  await q.next();
  await q.next();
  await q.next();
  expect(source.events).toEqual(["pause"]);
  await q.next(); // size 2 = 4 / 2
  expect(source.events).toEqual(["pause", "resume"]);
});

test("return() drops the buffer, tells the source, and ignores later pushes", async () => {
  const source = new Source();
  const q = new MessageQueue<number>(source);
  q.push(1);
  for await (const n of q) {
    expect(n).toBe(1);
    break;
  }
  expect(source.events).toEqual(["abandon"]);
  q.push(2);
  expect(await q.next()).toEqual({ done: true, value: undefined });
});

test("return() after the producer ended does not abandon", async () => {
  const source = new Source();
  const q = new MessageQueue<number>(source);
  q.end();
  await q.return();
  expect(source.events).toEqual([]);
});

test("return() settles a pending next()", async () => {
  const q = new MessageQueue<number>(new Source());
  const pending = q.next();
  await q.return();
  expect(await pending).toEqual({ done: true, value: undefined });
});
