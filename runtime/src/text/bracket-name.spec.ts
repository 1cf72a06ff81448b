import { parseBracketName } from "./bracket-name.js";

describe("parseBracketName", () => {
  it.each<[string, ReturnType<typeof parseBracketName>]>([
    ["pkg.ext", { prefix: "", typeName: "pkg.ext" }],
    ["ext", { prefix: "", typeName: "ext" }],
    ["type.googleapis.com/pkg.Msg", { prefix: "type.googleapis.com/", typeName: "pkg.Msg" }],
    ["a/b/c.D", { prefix: "a/b/", typeName: "c.D" }],
    ["x%2Fy/T", { prefix: "x%2Fy/", typeName: "T" }],
    ["/T", "Type URL prefix is empty"],
    ["/a/T", 'Type URL starts with "/"'],
    ["a%2/T", 'Invalid percent encode, got: "%2/"'],
    ["a%zz/T", 'Invalid percent encode, got: "%zz"'],
    ["", 'Invalid identifier in type name, got: ""'],
    ["a/", 'Invalid identifier in type name, got: ""'],
    ["pkg..T", 'Invalid identifier in type name, got: ""'],
    ["pkg.1T", 'Invalid identifier in type name, got: "1T"'],
    ["pkg.T-x", 'Invalid identifier in type name, got: "T-x"'],
  ])("%j", (text, expected) => {
    expect(parseBracketName(text)).toEqual(expected);
  });
});
