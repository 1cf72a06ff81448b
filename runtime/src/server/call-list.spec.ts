import { CallList, type Linked } from "./call-list.js";

class Item implements Linked<Item> {
  listPrev: Item | undefined;
  listNext: Item | undefined;
  listed = false;
  constructor(readonly id: number) {}
}

const ids = (list: CallList<Item>): number[] => list.toArray().map((i) => i.id);

describe("CallList", () => {
  it("lists, unlists from the head, middle and tail, and ignores repeats", () => {
    const list = new CallList<Item>();
    const items = [1, 2, 3, 4].map((n) => new Item(n));
    for (const i of items) list.add(i);
    list.add(items[0]!);
    expect(ids(list)).toEqual([4, 3, 2, 1]);
    expect(list.size).toBe(4);
    list.delete(items[2]!); // middle
    list.delete(items[2]!);
    expect(ids(list)).toEqual([4, 2, 1]);
    list.delete(items[3]!); // head
    list.delete(items[0]!); // tail
    expect(ids(list)).toEqual([2]);
    expect(list.size).toBe(1);
    list.delete(items[1]!);
    expect(ids(list)).toEqual([]);
    expect(list.size).toBe(0);
    list.add(items[2]!);
    expect(ids(list)).toEqual([3]);
  });

  it("gives a snapshot that stays whole while the calls in it leave", () => {
    const list = new CallList<Item>();
    const items = [1, 2, 3].map((n) => new Item(n));
    for (const i of items) list.add(i);
    const seen: number[] = [];
    for (const i of list.toArray()) {
      list.delete(i);
      seen.push(i.id);
    }
    expect(seen).toEqual([3, 2, 1]);
    expect(list.size).toBe(0);
  });
});
