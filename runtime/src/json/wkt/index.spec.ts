import { specialJsonTypes, wktCodec } from "./index.js";

describe("wktCodec", () => {
  test("every type with a special JSON form has a codec, and no other", () => {
    for (const name of specialJsonTypes) expect(wktCodec(name)).toBeDefined();
    for (const name of ["google.protobuf.Empty", "google.protobuf.Api", "foo.Bar", "google.protobuf.AnyX"]) {
      expect(wktCodec(name)).toBeUndefined();
    }
  });
});
