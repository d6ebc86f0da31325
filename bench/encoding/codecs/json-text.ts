/** JSON text to UTF-8 bytes, as ws does with a string it sends. */
export function jsonBytes(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** UTF-8 bytes to a parsed value; the view over `bytes` is not copied. */
export function jsonParse(bytes: Uint8Array): unknown {
  return JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}
