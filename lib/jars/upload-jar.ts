import 'server-only';
// Streams a jar from the browser's request body to the JobManager's POST /jars/upload through the API
// server's pods proxy. Nothing holds the whole file: the multipart envelope is written around the
// body as it flows, with backpressure from the upstream socket. The first bytes are checked before
// the upstream request is opened, and the byte count is checked as the bytes pass.
import { Readable } from 'node:stream';
import fetch from 'node-fetch';
import { ApiError } from '@/lib/api/api-error';
import type { Connection } from '@/lib/k8s/kubeconfig';
import { connectionInit } from '@/lib/k8s/request';
import { toJarCallError, type JarTarget } from './flink-jar-calls';
import { formatBytes } from './jar-limits';
import type { UploadedJarDto } from './jar-schemas';
import { buildJarEnvelope, startsLikeZip } from './multipart';

const BATCH = 512 * 1024;

export type JarBody = {
  body: ReadableStream<Uint8Array> | null;
  /** The request's Content-Length, when the browser sent one. */
  contentLength?: number;
  fileName: string;
  maxBytes: number;
};

function tooLarge(fileName: string, size: number | undefined, maxBytes: number): ApiError {
  const what = size === undefined ? `${fileName} is larger than` : `${fileName} is ${formatBytes(size)}, more than`;
  return new ApiError('invalid_input', `${what} the ${formatBytes(maxBytes)} this dashboard accepts (FLINK_DASHBOARD_MAX_JAR_BYTES).`, {
    issues: [{ path: 'file', message: `At most ${formatBytes(maxBytes)}.` }],
  });
}

function notAJar(fileName: string): ApiError {
  return new ApiError('invalid_input', `${fileName} is not a jar: a jar is a zip archive, and this file does not start like one. Nothing was sent to Flink.`, {
    issues: [{ path: 'file', message: 'Not a zip archive.' }],
  });
}

/** A jar checked so far: its first bytes are a zip's, and the reader is positioned after them. */
export type PeekedJar = { reader: ReadableStreamDefaultReader<Uint8Array>; peeked: Uint8Array[]; peekedBytes: number } & JarBody;

/**
 * Checks what can be checked before anything reaches Flink: the declared size, then the first bytes.
 * On a refusal the rest of the body is not read.
 */
export async function peekJar(jar: JarBody): Promise<PeekedJar> {
  if (jar.contentLength !== undefined && jar.contentLength > jar.maxBytes) throw tooLarge(jar.fileName, jar.contentLength, jar.maxBytes);
  if (!jar.body) throw new ApiError('invalid_input', 'The request carries no file.', { issues: [{ path: 'file', message: 'Missing.' }] });
  const reader = jar.body.getReader();
  const peeked: Uint8Array[] = [];
  let peekedBytes = 0;
  while (peekedBytes < 4) {
    const { done, value } = await reader.read();
    if (done) break;
    peeked.push(value);
    peekedBytes += value.byteLength;
  }
  const first = peeked.length === 1 ? peeked[0] : Buffer.concat(peeked);
  if (!startsLikeZip(first)) {
    await reader.cancel().catch(() => undefined);
    throw peekedBytes === 0 ? new ApiError('invalid_input', `${jar.fileName} is empty.`, { issues: [{ path: 'file', message: 'Empty.' }] }) : notAJar(jar.fileName);
  }
  if (peekedBytes > jar.maxBytes) {
    await reader.cancel().catch(() => undefined);
    throw tooLarge(jar.fileName, undefined, jar.maxBytes);
  }
  return { ...jar, reader, peeked, peekedBytes };
}

/** Sends a peeked jar to the target JobManager; answers Flink's jar id. `signal` is the browser's request. */
export async function streamJarUpload(conn: Connection, target: JarTarget, clusterId: string, jar: PeekedJar, signal?: AbortSignal): Promise<UploadedJarDto> {
  const envelope = buildJarEnvelope(jar.fileName);
  const abort = new AbortController();
  let refusal: ApiError | undefined;
  const fail = (err: ApiError) => {
    refusal ??= err;
    abort.abort();
  };
  const onClientAbort = () => fail(new ApiError('bad_request', 'The upload was cancelled.'));
  signal?.addEventListener('abort', onClientAbort);

  async function* parts(): AsyncGenerator<Uint8Array> {
    yield envelope.head;
    for (const c of jar.peeked) yield c;
    let sent = jar.peekedBytes;
    // The body arrives in small pieces (16–64 KiB): writing a few of them at once to the upstream
    // socket costs far fewer system calls and stream turns. At most BATCH bytes are held.
    let batch: Uint8Array[] = [];
    let batched = 0;
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await jar.reader.read();
      } catch {
        fail(new ApiError('bad_request', 'The upload was interrupted before the whole file arrived.'));
        return;
      }
      if (chunk.done) break;
      sent += chunk.value.byteLength;
      if (sent > jar.maxBytes) {
        // Flink drops an upload whose request never completes: aborting leaves nothing behind.
        fail(tooLarge(jar.fileName, undefined, jar.maxBytes));
        await jar.reader.cancel().catch(() => undefined);
        return;
      }
      batch.push(chunk.value);
      batched += chunk.value.byteLength;
      if (batched >= BATCH) {
        yield batch.length === 1 ? batch[0] : Buffer.concat(batch, batched);
        batch = [];
        batched = 0;
      }
    }
    if (batched > 0) yield Buffer.concat(batch, batched);
    if (jar.contentLength !== undefined && sent !== jar.contentLength) {
      fail(new ApiError('bad_request', `The upload ended after ${formatBytes(sent)} of ${formatBytes(jar.contentLength)}.`));
      return;
    }
    yield envelope.tail;
  }

  const { agent, headers } = await connectionInit(conn, { accept: 'application/json', 'content-type': envelope.contentType });
  if (jar.contentLength !== undefined) headers.set('content-length', String(envelope.head.length + jar.contentLength + envelope.tail.length));
  let res;
  try {
    res = await fetch(`${conn.server}${target.proxyBase}/jars/upload`, {
      agent,
      method: 'POST',
      headers,
      // A little read-ahead (≤ 2 batches) lets reading from the browser and writing to the
      // JobManager overlap; memory stays bounded whatever the jar's size.
      body: Readable.from(parts(), { objectMode: false, highWaterMark: BATCH }),
      signal: abort.signal as never,
      timeout: 0,
      compress: false,
    });
  } catch (err) {
    if (refusal) throw refusal;
    throw new ApiError('unavailable', `Cannot reach the JobManager of cluster ${clusterId} through the API server at ${conn.server}.`, { cause: err });
  } finally {
    signal?.removeEventListener('abort', onClientAbort);
  }
  const text = await res.text();
  // Flink may answer before reading the whole body (a refusal): stop reading the browser's bytes.
  await jar.reader.cancel().catch(() => undefined);
  if (refusal) throw refusal;
  if (!res.ok) throw toJarCallError(res.status, text, clusterId, 'the jar upload');
  let filename: unknown;
  try {
    filename = (JSON.parse(text) as { filename?: unknown }).filename;
  } catch {
    // handled below
  }
  if (typeof filename !== 'string') throw new ApiError('upstream_error', `The JobManager of cluster ${clusterId} answered the upload without a file name.`);
  return { id: filename.slice(filename.lastIndexOf('/') + 1), name: jar.fileName };
}
