// The protobuf binary wire format: varints, tags, lengths and scalars.
// It knows bytes only; messages are built on top of it.
export { BinaryReader, type ReaderOptions } from "./reader.js";
export { BinaryWriter } from "./writer.js";
export { DecodeError } from "./errors.js";
export { WireType } from "./wire-type.js";
export {
  sizeBytes,
  sizeInt32,
  sizeInt64,
  sizeSint32,
  sizeSint64,
  sizeString,
  sizeTag,
  sizeUint64,
  sizeVarint32,
  sizeVarint64,
  utf8Length,
} from "./size.js";
