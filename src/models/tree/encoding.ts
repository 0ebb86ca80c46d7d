// Typed arrays ↔ base64 for model artifacts: exact (bit-for-bit) and ~3× smaller than JSON number lists.

type NumericArray = Int32Array | Float64Array | Float32Array | Uint8Array;
type NumericArrayCtor<T extends NumericArray> = { new (length: number): T; readonly BYTES_PER_ELEMENT: number };

function assertLittleEndian(): void {
  // Artifacts are little-endian; so are all platforms Node runs on in practice.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('tree artifacts need a little-endian platform');
}

export function encodeArray(a: NumericArray): string {
  assertLittleEndian();
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Decodes base64 into a fresh array of `ctor`; `what` names the field in error messages. */
export function decodeArray<T extends NumericArray>(s: unknown, ctor: NumericArrayCtor<T>, what: string): T {
  assertLittleEndian();
  if (typeof s !== 'string') throw new Error(`${what} must be a base64 string`);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new Error(`${what} is not valid base64`);
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0) {
    throw new Error(`${what} has ${bytes.byteLength} bytes, not a multiple of ${ctor.BYTES_PER_ELEMENT}`);
  }
  const out = new ctor(bytes.byteLength / ctor.BYTES_PER_ELEMENT);
  new Uint8Array(out.buffer).set(bytes); // copy: Buffer memory may be pooled and unaligned
  return out;
}
