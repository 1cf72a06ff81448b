// Which well-known types have a JSON form of their own. In an Any they are
// written as {"@type": …, "value": <that form>}; every other message has its
// fields inline. google.protobuf.Empty is not among them: its form is the
// generic `{}` (as in the C++ and Python implementations).
export const specialJsonTypes: ReadonlySet<string> = new Set([
  "google.protobuf.Any",
  "google.protobuf.Timestamp",
  "google.protobuf.Duration",
  "google.protobuf.FieldMask",
  "google.protobuf.Struct",
  "google.protobuf.Value",
  "google.protobuf.ListValue",
  "google.protobuf.DoubleValue",
  "google.protobuf.FloatValue",
  "google.protobuf.Int64Value",
  "google.protobuf.UInt64Value",
  "google.protobuf.Int32Value",
  "google.protobuf.UInt32Value",
  "google.protobuf.BoolValue",
  "google.protobuf.StringValue",
  "google.protobuf.BytesValue",
]);
