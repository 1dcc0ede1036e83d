// /openapi/v2 as protobuf (gnostic openapi_v2.Document), which kubectl 1.28 asks for
// (Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf) before `apply` and `explain`.
// Only what kube-openapi's proto models read is encoded: swagger, info and the definitions with their
// types, refs, properties, items, additionalProperties, required, descriptions and x- extensions.
import { stringify as toYaml } from 'yaml';

class Writer {
  private chunks: Buffer[] = [];
  private size = 0;

  private push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  private varint(n: number): void {
    const bytes: number[] = [];
    let v = n;
    while (v > 0x7f) {
      bytes.push((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    bytes.push(v);
    this.push(Buffer.from(bytes));
  }
  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }
  string(field: number, s: string | undefined): void {
    if (s === undefined || s === '') return;
    const b = Buffer.from(s, 'utf8');
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }
  bool(field: number, v: boolean | undefined): void {
    if (!v) return;
    this.tag(field, 0);
    this.varint(1);
  }
  int64(field: number, v: number | undefined): void {
    if (v === undefined || v === 0) return;
    this.tag(field, 0);
    this.varint(v);
  }
  double(field: number, v: number | undefined): void {
    if (v === undefined || v === 0) return;
    this.tag(field, 1);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(v);
    this.push(b);
  }
  message(field: number, build: (w: Writer) => void): void {
    const w = new Writer();
    build(w);
    const b = w.finish();
    this.tag(field, 2);
    this.varint(b.length);
    this.push(b);
  }
  finish(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

function anyYaml(w: Writer, field: number, value: unknown): void {
  w.message(field, (a) => a.string(2, toYaml(value, { lineWidth: 0 })));
}

function vendorExtensions(w: Writer, field: number, obj: Record<string, any>): void {
  for (const [k, v] of Object.entries(obj)) {
    if (!k.startsWith('x-')) continue;
    w.message(field, (n) => {
      n.string(1, k);
      anyYaml(n, 2, v);
    });
  }
}

function schema(w: Writer, s: any): void {
  if (!s || typeof s !== 'object') return;
  w.string(1, s.$ref);
  w.string(2, s.format);
  w.string(3, s.title);
  w.string(4, s.description);
  if (s.default !== undefined) anyYaml(w, 5, s.default);
  w.double(7, s.maximum);
  w.double(9, s.minimum);
  w.int64(11, s.maxLength);
  w.int64(12, s.minLength);
  w.string(13, s.pattern);
  w.int64(14, s.maxItems);
  w.int64(15, s.minItems);
  w.bool(16, s.uniqueItems);
  for (const r of s.required ?? []) w.string(19, r);
  for (const e of s.enum ?? []) anyYaml(w, 20, e);
  if (s.additionalProperties !== undefined) {
    w.message(21, (ap) => {
      if (typeof s.additionalProperties === 'boolean') {
        ap.bool(2, s.additionalProperties);
      } else ap.message(1, (x) => schema(x, s.additionalProperties));
    });
  }
  if (s.type !== undefined) w.message(22, (t) => (Array.isArray(s.type) ? s.type : [s.type]).forEach((v: string) => t.string(1, v)));
  if (s.items !== undefined) w.message(23, (it) => (Array.isArray(s.items) ? s.items : [s.items]).forEach((x: any) => it.message(1, (y) => schema(y, x))));
  for (const a of s.allOf ?? []) w.message(24, (x) => schema(x, a));
  if (s.properties) {
    w.message(25, (p) => {
      for (const [name, v] of Object.entries(s.properties)) {
        p.message(1, (ns) => {
          ns.string(1, name);
          ns.message(2, (x) => schema(x, v));
        });
      }
    });
  }
  w.bool(27, s.readOnly);
  vendorExtensions(w, 31, s);
}

/** Encodes a swagger 2.0 JSON document as gnostic's openapi_v2.Document protobuf. */
export function swaggerToProto(doc: any): Buffer {
  const w = new Writer();
  w.string(1, doc.swagger ?? '2.0');
  if (doc.info) {
    w.message(2, (i) => {
      i.string(1, doc.info.title);
      i.string(2, doc.info.version);
    });
  }
  if (doc.definitions) {
    w.message(9, (d) => {
      for (const [name, s] of Object.entries(doc.definitions)) {
        d.message(1, (ns) => {
          ns.string(1, name);
          ns.message(2, (x) => schema(x, s));
        });
      }
    });
  }
  vendorExtensions(w, 16, doc);
  return w.finish();
}
