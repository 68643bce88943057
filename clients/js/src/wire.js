// Canonical protobuf encoding (docs/wire-format.md §1): fields in ascending number, defaults never written, minimal
// varints. Generic encoders write a proto3 scalar that is set to its default, so the bytes that are hashed and
// signed are written here by hand, one call per field, in field order.

const textEncoder = new TextEncoder();

export class ProtoWriter {
  #chunks = [];
  #length = 0;
  #lastField = 0;

  #push(bytes) {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  #tag(field, wireType) {
    if (!Number.isInteger(field) || field < 1 || field > 536870911) throw new RangeError(`field number ${field}`);
    if (field < this.#lastField) throw new Error(`field ${field} written after field ${this.#lastField}: fields go in ascending order`);
    this.#lastField = field;
    this.#push(varint(BigInt(field) << 3n | BigInt(wireType)));
  }

  /** uint32, uint64, int64 (non-negative in practice), enum, bool. Omitted when zero. */
  uint(field, value) {
    const v = BigInt.asUintN(64, BigInt(value ?? 0));
    if (v === 0n) return this;
    this.#tag(field, 0);
    this.#push(varint(v));
    return this;
  }

  /** A string field; omitted when empty. */
  string(field, value) {
    if (value === undefined || value === null || value === '') return this;
    return this.bytes(field, textEncoder.encode(value));
  }

  /** A bytes field; omitted when empty. */
  bytes(field, value) {
    if (value === undefined || value === null || value.length === 0) return this;
    return this.message(field, value);
  }

  /** An embedded message or an element of a repeated bytes/message field: written even when empty. */
  message(field, value) {
    this.#tag(field, 2);
    this.#push(varint(BigInt(value.length)));
    this.#push(Uint8Array.from(value));
    // Repeated fields write the same number again: allowed, but never a lower one.
    this.#lastField = field;
    return this;
  }

  toBytes() {
    const out = new Uint8Array(this.#length);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

export function varint(value) {
  let v = BigInt(value);
  if (v < 0n) throw new RangeError('varint of a negative number');
  const out = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}

/** Reads the fields of one message: [{ field, wireType, value }] with varints as BigInt and length-delimited as bytes. */
export function readFields(bytes) {
  const fields = [];
  let i = 0;
  const readVarint = () => {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (i >= bytes.length) throw new Error('truncated varint');
      const b = bytes[i++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
    }
    throw new Error('varint longer than 10 bytes');
  };
  while (i < bytes.length) {
    const key = readVarint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    if (wireType === 0) fields.push({ field, wireType, value: readVarint() });
    else if (wireType === 2) {
      const length = Number(readVarint());
      if (i + length > bytes.length) throw new Error('truncated length-delimited field');
      fields.push({ field, wireType, value: bytes.subarray(i, i + length) });
      i += length;
    } else throw new Error(`unsupported wire type ${wireType}`);
  }
  return fields;
}

export const toHex = (bytes) => Buffer.from(bytes).toString('hex');
export const fromHex = (hex) => Uint8Array.from(Buffer.from(hex, 'hex'));
export const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
};
