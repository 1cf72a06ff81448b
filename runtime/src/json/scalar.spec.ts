import { ScalarType } from "../message/types.js";
import { JsonError } from "./json-error.js";
import { RawNumber } from "./parse-text.js";
import { mapKeyFromJson, scalarFromJson, scalarToJson } from "./scalar.js";

const S = ScalarType;
const f32 = Math.fround;

describe("scalarFromJson accepts", () => {
  test.each<[string, ScalarType, unknown, unknown]>([
    ["int32 number", S.INT32, 5, 5],
    ["int32 max", S.INT32, 2147483647, 2147483647],
    ["int32 min", S.INT32, -2147483648, -2147483648],
    ["int32 string", S.INT32, "2147483647", 2147483647],
    ["int32 exponent", S.INT32, 1e5, 100000],
    ["int32 quoted exponent", S.INT32, "1e5", 100000],
    ["int32 trailing zeros", S.INT32, "100000.000", 100000],
    ["int32 float max", S.INT32, 2.147483647e9, 2147483647],
    ["int32 -0", S.INT32, -0, 0],
    ["sint32", S.SINT32, -7, -7],
    ["sfixed32", S.SFIXED32, "-7", -7],
    ["uint32 max", S.UINT32, 4294967295, 4294967295],
    ["uint32 float max", S.UINT32, 4.294967295e9, 4294967295],
    ["fixed32", S.FIXED32, "0", 0],
    ["int64 string", S.INT64, "9223372036854775807", 9223372036854775807n],
    ["int64 min string", S.INT64, "-9223372036854775808", -9223372036854775808n],
    ["int64 number", S.INT64, 1, 1n],
    ["int64 raw number", S.INT64, new RawNumber("9223372036854774784", 9223372036854774784), 9223372036854774784n],
    ["int64 quoted exponent", S.INT64, "1e3", 1000n],
    ["sint64", S.SINT64, "-1", -1n],
    ["sfixed64", S.SFIXED64, -1, -1n],
    ["uint64 max", S.UINT64, "18446744073709551615", 18446744073709551615n],
    ["uint64 raw number", S.UINT64, new RawNumber("18446744073709549568", 18446744073709549568), 18446744073709549568n],
    ["fixed64", S.FIXED64, 0, 0n],
    ["double", S.DOUBLE, 1.5, 1.5],
    ["double string", S.DOUBLE, "1", 1],
    ["double exponent string", S.DOUBLE, "2.22507e-308", 2.22507e-308],
    ["double max", S.DOUBLE, 1.79769e308, 1.79769e308],
    ["double NaN", S.DOUBLE, "NaN", NaN],
    ["double Infinity", S.DOUBLE, "Infinity", Infinity],
    ["double -Infinity", S.DOUBLE, "-Infinity", -Infinity],
    ["double raw number", S.DOUBLE, new RawNumber("1e300", 1e300), 1e300],
    ["float rounds to float32", S.FLOAT, 0.1, f32(0.1)],
    ["float max", S.FLOAT, 3.402823e38, f32(3.402823e38)],
    ["float shortest max", S.FLOAT, 3.4028235e38, f32(3.4028235e38)],
    ["float min positive", S.FLOAT, 1.175494e-38, f32(1.175494e-38)],
    ["float string", S.FLOAT, "1.175494e-38", f32(1.175494e-38)],
    ["float NaN", S.FLOAT, "NaN", NaN],
    ["bool true", S.BOOL, true, true],
    ["bool false", S.BOOL, false, false],
    ["string", S.STRING, "héllo", "héllo"],
    ["bytes", S.BYTES, "AQI=", new Uint8Array([1, 2])],
    ["bytes url-safe", S.BYTES, "-_8", new Uint8Array([0xfb, 0xff])],
    ["bytes empty", S.BYTES, "", new Uint8Array(0)],
  ])("%s", (_, t, json, want) => {
    expect(scalarFromJson(t, json, undefined)).toEqual(want);
  });

  test("64-bit integers as strings when the field says so", () => {
    expect(scalarFromJson(S.INT64, 5, "string")).toBe("5");
    expect(scalarFromJson(S.UINT64, "1e3", "string")).toBe("1000");
  });
});

describe("scalarFromJson rejects", () => {
  test.each<[string, ScalarType, unknown, RegExp]>([
    ["int32 too large", S.INT32, 2147483648, /int32 value out of range: 2147483648/],
    ["int32 too small", S.INT32, -2147483649, /out of range/],
    ["int32 string too large", S.INT32, "2147483648", /out of range/],
    ["int32 raw number", S.INT32, new RawNumber("9223372036854775807", 9223372036854775807), /out of range/],
    ["int32 fraction", S.INT32, 0.5, /invalid int32 value: 0.5/],
    ["int32 fraction string", S.INT32, "0.5", /invalid int32/],
    ["int32 partially numeric", S.INT32, "12abc", /invalid int32/],
    ["int32 not numeric", S.INT32, "abc", /invalid int32/],
    ["int32 empty", S.INT32, "", /invalid int32 value: ""/],
    ["int32 leading space", S.INT32, " 1", /invalid int32/],
    ["int32 trailing space", S.INT32, "1 ", /invalid int32/],
    ["int32 plus sign", S.INT32, "+1", /invalid int32/],
    ["int32 leading zero", S.INT32, "01", /invalid int32/],
    ["int32 hex", S.INT32, "0x10", /invalid int32/],
    ["int32 bool", S.INT32, true, /invalid int32 value: true/],
    ["int32 object", S.INT32, { a: 1 }, /invalid int32 value: an object/],
    ["int32 array", S.INT32, [1], /invalid int32 value: an array/],
    ["int32 null", S.INT32, null, /invalid int32 value: null/],
    ["int32 NaN", S.INT32, NaN, /invalid int32/],
    ["uint32 negative", S.UINT32, -1, /uint32 value out of range/],
    ["uint32 too large", S.UINT32, 4294967296, /out of range/],
    ["uint32 fraction", S.UINT32, 0.5, /invalid uint32/],
    ["fixed32 negative string", S.FIXED32, "-1", /fixed32 value out of range/],
    ["int64 too large", S.INT64, "9223372036854775808", /int64 value out of range/],
    ["int64 too small", S.INT64, "-9223372036854775809", /out of range/],
    ["int64 number beyond range", S.INT64, 9223372036854775807, /out of range/],
    ["int64 fraction", S.INT64, "0.5", /invalid int64/],
    ["int64 fraction number", S.INT64, 1.5, /invalid int64/],
    ["int64 empty", S.INT64, "", /invalid int64/],
    ["int64 not numeric", S.INT64, "3x3", /invalid int64/],
    ["int64 huge exponent", S.INT64, "1e1000000", /out of range/],
    ["uint64 too large", S.UINT64, "18446744073709551616", /uint64 value out of range/],
    ["uint64 negative", S.UINT64, "-1", /out of range/],
    ["uint64 fraction", S.UINT64, "0.5", /invalid uint64/],
    ["sint64 bool", S.SINT64, false, /invalid sint64/],
    ["double too large", S.DOUBLE, 1.89769e308 * 10, /double value out of range/],
    ["double raw too large", S.DOUBLE, new RawNumber("1.89769e+309", Infinity), /out of range: 1.89769e\+309/],
    ["double quoted too large", S.DOUBLE, "1.89769e+308", /out of range/],
    ["double JS Infinity", S.DOUBLE, Infinity, /out of range/],
    ["double JS NaN", S.DOUBLE, NaN, /out of range/],
    ["double empty", S.DOUBLE, "", /invalid double/],
    ["double partially numeric", S.DOUBLE, "12abc", /invalid double/],
    ["double non-numeric", S.DOUBLE, "abc", /invalid double/],
    ["double lowercase nan", S.DOUBLE, "nan", /invalid double/],
    ["double bool", S.DOUBLE, true, /invalid double/],
    ["float too large", S.FLOAT, 3.502823e38, /float value out of range/],
    ["float too small", S.FLOAT, -3.502823e38, /float value out of range/],
    ["float quoted too large", S.FLOAT, "3.502823e+38", /out of range/],
    ["float empty", S.FLOAT, "", /invalid float/],
    ["bool number", S.BOOL, 1, /invalid bool value: 1/],
    ["bool zero", S.BOOL, 0, /invalid bool/],
    ["bool string", S.BOOL, "true", /invalid bool value: "true"/],
    ["string number", S.STRING, 12345, /invalid string value: 12345/],
    ["string bool", S.STRING, false, /invalid string/],
    ["string object", S.STRING, {}, /invalid string/],
    ["bytes invalid", S.BYTES, "A", /invalid base64/],
    ["bytes bad character", S.BYTES, "AQ*=", /invalid base64/],
    ["bytes number", S.BYTES, 1, /invalid bytes/],
  ])("%s", (_, t, json, reason) => {
    let error: unknown;
    try {
      scalarFromJson(t, json, undefined);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JsonError);
    expect((error as JsonError).message).toMatch(reason);
  });
});

describe("scalarToJson", () => {
  test.each<[string, ScalarType, unknown, unknown]>([
    ["int32", S.INT32, -5, -5],
    ["uint32 stays a number", S.UINT32, 4294967295, 4294967295],
    ["int64 is a string", S.INT64, -9223372036854775808n, "-9223372036854775808"],
    ["uint64 is a string", S.UINT64, 18446744073709551615n, "18446744073709551615"],
    ["int64 kept as text", S.SFIXED64, "12", "12"],
    ["double", S.DOUBLE, 0.1, 0.1],
    ["double NaN", S.DOUBLE, NaN, "NaN"],
    ["double Infinity", S.DOUBLE, Infinity, "Infinity"],
    ["double -Infinity", S.DOUBLE, -Infinity, "-Infinity"],
    ["float prints at float precision", S.FLOAT, f32(0.1), 0.1],
    ["float max", S.FLOAT, f32(3.4028234663852886e38), 3.4028235e38],
    ["float NaN", S.FLOAT, f32(NaN), "NaN"],
    ["bool", S.BOOL, true, true],
    ["string", S.STRING, "x", "x"],
    ["bytes", S.BYTES, new Uint8Array([0xfb, 0xff]), "+/8="],
  ])("%s", (_, t, v, want) => {
    expect(scalarToJson(t, v)).toEqual(want);
  });
});

describe("mapKeyFromJson", () => {
  test.each<[ScalarType, string, string]>([
    [S.STRING, "any key", "any key"],
    [S.STRING, "", ""],
    [S.BOOL, "true", "true"],
    [S.BOOL, "false", "false"],
    [S.INT32, "-2147483648", "-2147483648"],
    [S.INT32, "-0", "0"],
    [S.UINT32, "4294967295", "4294967295"],
    [S.INT64, "-9223372036854775808", "-9223372036854775808"],
    [S.UINT64, "18446744073709551615", "18446744073709551615"],
    [S.SINT64, "1", "1"],
  ])("%p %p", (t, key, want) => {
    expect(mapKeyFromJson(t, key)).toBe(want);
  });

  test.each<[ScalarType, string]>([
    [S.BOOL, "True"],
    [S.BOOL, "1"],
    [S.INT32, "2147483648"],
    [S.INT32, "1.0"],
    [S.INT32, "1e3"],
    [S.INT32, " 1"],
    [S.INT32, "01"],
    [S.INT32, ""],
    [S.UINT32, "-1"],
    [S.INT64, "9223372036854775808"],
    [S.UINT64, "18446744073709551616"],
    [S.FIXED64, "abc"],
  ])("rejects %p %p", (t, key) => {
    expect(() => mapKeyFromJson(t, key)).toThrow(JsonError);
  });
});
