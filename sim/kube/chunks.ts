// Writing a document given as many pieces (a list's items, a snapshot's objects) a bounded piece
// at a time, so that it never exists whole as one string or buffer.

/** The pieces joined into Buffers of about `size` bytes each, built as they are consumed. */
export function* byteChunks(pieces: Iterable<string | Buffer>, size: number): Generator<Buffer> {
  let cur: Buffer[] = [];
  let len = 0;
  for (const p of pieces) {
    const b = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    cur.push(b);
    len += b.length;
    if (len >= size) {
      yield Buffer.concat(cur, len);
      cur = [];
      len = 0;
    }
  }
  if (cur.length) yield Buffer.concat(cur, len);
}

/** Total UTF-8 length of the pieces. */
export function byteLength(pieces: Iterable<string | Buffer>): number {
  let n = 0;
  for (const p of pieces) n += typeof p === 'string' ? Buffer.byteLength(p, 'utf8') : p.length;
  return n;
}
