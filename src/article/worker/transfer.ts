/**
 * The ArrayBuffers that can be moved (not copied) to another thread along with `values`: those of
 * top-level ArrayBuffers and of typed arrays that cover their whole buffer. A view into a larger
 * buffer (Node's Buffer pool, a slice) is copied instead, since moving it would detach memory the
 * sender still uses elsewhere. The sender's moved buffers become empty.
 */
export function transferablesOf(values: readonly unknown[]): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  for (const value of values) {
    if (value instanceof ArrayBuffer) found.add(value);
    else if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) {
      if (value.byteOffset === 0 && value.byteLength === value.buffer.byteLength) found.add(value.buffer);
    }
  }
  return [...found];
}
