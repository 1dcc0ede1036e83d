// The values of `jobGraph-`/`executionPlan-` and `checkpointID-` entries: base64 of a Java-serialised
// KubernetesStateHandleStore.StateHandleWithDeleteMarker (fields `inner` and the boolean
// `markedForDeletion`) around a RetrievableStreamStateHandle that points into the HA storage dir.
// Only what a reader needs is decoded: that it is such a handle, and whether it is marked for
// deletion (readers skip those, as KubernetesStateHandleStore does). PURE: no Buffer, runs in the browser.

export type StateHandleInfo = { readable: true; markedForDeletion: boolean } | { readable: false; reason: string };

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const MARKER_CLASS = 'StateHandleWithDeleteMarker';

function decodeBase64(s: string): Uint8Array | undefined {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 4 !== 0 || !B64.test(clean)) return undefined;
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  for (let i = 0; i < clean.length; i += 4) {
    const n = [0, 1, 2, 3].map((k) => (clean[i + k] === '=' ? 0 : alphabet.indexOf(clean[i + k])));
    const v = (n[0] << 18) | (n[1] << 12) | (n[2] << 6) | n[3];
    out.push((v >> 16) & 255);
    if (clean[i + 2] !== '=') out.push((v >> 8) & 255);
    if (clean[i + 3] !== '=') out.push(v & 255);
  }
  return Uint8Array.from(out);
}

class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array) {}
  u8(): number {
    if (this.pos >= this.b.length) throw new Error('the value ends early');
    return this.b[this.pos++];
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  skip(n: number) {
    if (this.pos + n > this.b.length) throw new Error('the value ends early');
    this.pos += n;
  }
  utf(): string {
    const len = this.u16();
    const start = this.pos;
    this.skip(len);
    return new TextDecoder().decode(this.b.subarray(start, start + len));
  }
}

const PRIMITIVE_SIZES: Record<string, number> = { B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1 };

/** Reads the stream header and the top-level class descriptor (java.io.ObjectStreamConstants). */
export function readStateHandle(value: string): StateHandleInfo {
  const bytes = decodeBase64(value);
  if (!bytes) return { readable: false, reason: 'The value is not base64.' };
  const r = new Reader(bytes);
  try {
    if (r.u16() !== 0xaced || r.u16() !== 0x0005) return { readable: false, reason: 'The value is not a Java-serialised object (no AC ED 00 05 header).' };
    if (r.u8() !== 0x73 || r.u8() !== 0x72) return { readable: false, reason: 'The value does not start with an object and its class.' };
    const className = r.utf();
    if (!className.endsWith(MARKER_CLASS)) return { readable: false, reason: `The value holds a ${className}, not a state handle of Flink's Kubernetes HA store.` };
    r.skip(8); // serialVersionUID
    r.u8(); // flags
    const fields: { type: string; name: string }[] = [];
    const count = r.u16();
    for (let i = 0; i < count; i++) {
      const type = String.fromCharCode(r.u8());
      const name = r.utf();
      if (type === 'L' || type === '[') {
        const tag = r.u8();
        if (tag === 0x74) r.utf();
        else if (tag === 0x71) r.skip(4);
        else throw new Error('an unexpected field type entry');
      } else if (!(type in PRIMITIVE_SIZES)) {
        throw new Error(`an unknown field type ${type}`);
      }
      fields.push({ type, name });
    }
    if (r.u8() !== 0x78) throw new Error('class annotations are not supported');
    if (r.u8() !== 0x70) throw new Error('a superclass with fields is not supported');
    // Instance data: the primitive fields first, in the descriptor's order.
    let marked: boolean | undefined;
    for (const f of fields) {
      if (!(f.type in PRIMITIVE_SIZES)) continue;
      if (f.type === 'Z' && (f.name === 'markedForDeletion' || f.name === 'deleting')) {
        marked = r.u8() !== 0;
      } else r.skip(PRIMITIVE_SIZES[f.type]);
    }
    if (marked === undefined) return { readable: false, reason: 'The state handle has no deletion marker.' };
    return { readable: true, markedForDeletion: marked };
  } catch (err) {
    return { readable: false, reason: `The state handle could not be read: ${(err as Error).message}.` };
  }
}
