// The JSON data model: what JSON.parse returns and JSON.stringify accepts.
// toJson produces it and fromJson consumes it, so that callers can embed a
// message in a larger JSON document without a round trip through text.

export type JsonValue = number | string | boolean | null | JsonObject | JsonValue[];

export interface JsonObject {
  [key: string]: JsonValue;
}
