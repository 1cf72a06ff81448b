import { DecodeError } from "./errors.js";

describe("DecodeError", () => {
  it("starts its message with the reason when there is no path", () => {
    const e = new DecodeError("unexpected end of data");
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(DecodeError);
    expect(e.name).toBe("DecodeError");
    expect(e.message).toBe("unexpected end of data");
    expect(e.reason).toBe("unexpected end of data");
    expect(e.path).toEqual([]);
    expect(String(e)).toBe("DecodeError: unexpected end of data");
  });

  it("names the field path, outermost first, as segments are prepended", () => {
    const e = new DecodeError("invalid UTF-8");
    e.prependPath("items");
    expect(e.message).toBe("cannot decode field items: invalid UTF-8");
    e.prependPath("child");
    expect(e.path).toEqual(["child", "items"]);
    expect(e.message).toBe("cannot decode field child.items: invalid UTF-8");
    expect(e.reason).toBe("invalid UTF-8");
  });

  it("copies a path given to the constructor", () => {
    const path = ["a"];
    const e = new DecodeError("varint too long", path);
    e.prependPath("root");
    expect(path).toEqual(["a"]);
    expect(e.message).toBe("cannot decode field root.a: varint too long");
  });
});
