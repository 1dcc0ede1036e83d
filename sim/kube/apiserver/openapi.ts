// /openapi/v2 (swagger.json) and /openapi/v3 (index + one document per group-version), served
// from the official v1.28 documents in sim/kube/specs/kubernetes-1.28.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { k8sSpecsDir, openApiV3File, openApiV3Paths } from '../openapi/specs-dir';
import { parseAccept, sendJson, sendText } from './http';
import { errNotAcceptable, errNotFoundGeneric } from './errors';
import { swaggerToProto } from './openapi-proto';

let v2proto: Buffer | undefined;
const PROTO_V2 = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

interface Doc {
  text: string;
  hash: string;
}

let v2: Doc | undefined;
let v3: Map<string, Doc> | undefined;

function hashOf(text: string): string {
  return createHash('sha512').update(text).digest('hex').toUpperCase();
}

function loadV2(): Doc {
  if (!v2) {
    const text = readFileSync(path.join(k8sSpecsDir(), 'swagger.json'), 'utf8');
    v2 = { text, hash: hashOf(text) };
  }
  return v2;
}

function loadV3(): Map<string, Doc> {
  if (!v3) {
    v3 = new Map();
    const dir = k8sSpecsDir();
    for (const rel of openApiV3Paths()) {
      const text = readFileSync(path.join(dir, openApiV3File(rel)), 'utf8');
      v3.set(rel, { text, hash: hashOf(text) });
    }
  }
  return v3;
}

function acceptsJson(req: IncomingMessage): boolean {
  return parseAccept(req.headers.accept).some((m) => (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*') && !m.params.as);
}

export function serveOpenApi(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const p = url.pathname.replace(/\/$/, '');
  if (p === '/openapi/v2') {
    const d = loadV2();
    const accepts = parseAccept(req.headers.accept);
    const pb = accepts.findIndex((m) => m.type === PROTO_V2);
    const js = accepts.findIndex((m) => (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*') && !m.params.as);
    if (pb >= 0 && (js < 0 || pb < js)) {
      v2proto ??= swaggerToProto(JSON.parse(d.text));
      res.writeHead(200, { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf', 'Content-Length': v2proto.length, ETag: `"${d.hash}"` });
      res.end(v2proto);
      return;
    }
    if (js < 0) throw errNotAcceptable();
    return sendText(res, 200, d.text, 'application/json', { ETag: `"${d.hash}"`, 'X-Varied-Accept': req.headers.accept ?? '' });
  }
  if (p === '/openapi/v3') {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [rel, d] of loadV3()) paths[rel] = { serverRelativeURL: `/openapi/v3/${rel}?hash=${d.hash}` };
    return sendJson(res, 200, { paths });
  }
  if (p.startsWith('/openapi/v3/')) {
    const rel = p.slice('/openapi/v3/'.length);
    const d = loadV3().get(rel);
    if (!d) throw errNotFoundGeneric();
    if (!acceptsJson(req)) throw errNotAcceptable();
    const headers: Record<string, string> = { ETag: `"${d.hash}"` };
    if (url.searchParams.get('hash') === d.hash) headers['Cache-Control'] = 'public, immutable';
    const h = req.headers['if-none-match'];
    if (h && h.replace(/"/g, '') === d.hash) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(d.text), ...headers });
    res.end(d.text);
    return;
  }
  throw errNotFoundGeneric();
}
