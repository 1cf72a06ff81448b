// Names the place of a binary decode error. The reader only records field
// numbers as it descends (free on success); the names are looked up here,
// once, when an error actually happened.
import { DecodeError } from "../wire/errors.js";
import type { BinaryReader } from "../wire/reader.js";
import type { FieldInfo, MessageType } from "./types.js";

export function labelDecodeError(error: unknown, root: MessageType<object>, reader: BinaryReader): unknown {
  if (!(error instanceof DecodeError) || reader.depth === 0) return error;
  const numbers = reader.fieldPath();
  const names: string[] = [];
  let type: MessageType<object> | undefined = root;
  for (let i = 0; i < numbers.length; i++) {
    const field: FieldInfo | undefined = type?.field(numbers[i]);
    if (field === undefined) {
      names.push(String(numbers[i]));
      type = undefined;
      continue;
    }
    names.push(field.name);
    if (field.kind === "map") {
      // A map entry is not entered as a message of its own; its value (field 2) is.
      if (numbers[i + 1] === 2) i++;
      type = field.value.kind === "message" ? field.value.T : undefined;
    } else {
      type = field.kind === "message" ? field.T : undefined;
    }
  }
  for (let i = names.length - 1; i >= 0; i--) error.prependPath(names[i]);
  return error;
}
