// Small HTTP helpers: bodies, content negotiation, answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { stringify as toYaml } from 'yaml';
import { errNotAcceptable, StatusError } from './errors';
import { byteChunks, byteLength } from '../chunks';
import type { KubeStatus } from '../status';

export async function readBody(req: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > limit) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'the request body is too large', reason: 'RequestEntityTooLarge', code: 413 });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

export type OutputFormat = { kind: 'json' } | { kind: 'yaml' } | { kind: 'table' } | { kind: 'partial' };

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

export function parseAccept(h: string | undefined): MediaRange[] {
  if (!h || !h.trim()) return [{ type: '*/*', params: {} }];
  return h.split(',').map((part) => {
    const [type, ...ps] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of ps) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
    }
    return { type: type.toLowerCase(), params };
  });
}

/** Picks the representation of an object/list answer. tableOk: the endpoint can render a Table. */
export function negotiate(accept: string | undefined, opts: { tableOk: boolean }): OutputFormat {
  for (const m of parseAccept(accept)) {
    const as = m.params.as;
    if (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*') {
      if (as === 'Table' && m.params.g === 'meta.k8s.io' && (m.params.v === 'v1' || m.params.v === 'v1beta1')) {
        if (opts.tableOk) return { kind: 'table' };
        continue;
      }
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && m.params.g === 'meta.k8s.io') {
        if (m.params.v === 'v1') return { kind: 'partial' };
        continue;
      }
      if (as) continue; // e.g. APIGroupDiscoveryList: not served, the client falls back
      return { kind: 'json' };
    }
    if (m.type === 'application/yaml' && !as) return { kind: 'yaml' };
  }
  throw errNotAcceptable();
}

export function sendText(res: ServerResponse, code: number, body: string, contentType = 'application/json', headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const buf = Buffer.from(body, 'utf8');
  res.writeHead(code, { 'Content-Type': contentType, 'Cache-Control': 'no-cache, private', 'Content-Length': buf.length, ...headers });
  res.end(buf);
}

/**
 * Sends a JSON document given as pieces (a list's items), written a few hundred KiB at a time as
 * the socket drains, so a list of 20,000 pods never exists as one 60 MB string or buffer.
 */
export async function sendJsonPieces(res: ServerResponse, code: number, pieces: (string | Buffer)[]): Promise<void> {
  res.writeHead(code, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Content-Length': byteLength(pieces) });
  for (const chunk of byteChunks(pieces, 256 * 1024)) {
    if (res.destroyed) return;
    if (res.write(chunk)) continue;
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.once('drain', done);
      res.once('close', done);
    });
  }
  res.end();
}

export function sendJson(res: ServerResponse, code: number, obj: unknown, headers: Record<string, string> = {}): void {
  sendText(res, code, typeof obj === 'string' ? obj : JSON.stringify(obj), 'application/json', headers);
}

/** Sends a JSON string in the negotiated format (YAML re-encodes). */
export function sendFormatted(res: ServerResponse, code: number, json: string, fmt: OutputFormat, headers: Record<string, string> = {}): void {
  if (fmt.kind === 'yaml') sendText(res, code, toYaml(JSON.parse(json)), 'application/yaml', headers);
  else sendText(res, code, json, 'application/json', headers);
}

export function sendStatus(res: ServerResponse, st: KubeStatus, headers: Record<string, string> = {}): void {
  sendJson(res, st.code ?? 500, st, headers);
}
