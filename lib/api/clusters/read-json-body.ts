import { ApiError } from '../api-error';

/** The largest JSON body any route reads: a cluster spec with its pod templates and free config fits many times over. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** The body limit (env FLINK_DASHBOARD_MAX_BODY_BYTES, bytes; default 1 MiB). Jar uploads have their own (FLINK_DASHBOARD_MAX_JAR_BYTES). */
export function readMaxBodyBytes(env: Record<string, string | undefined> = process.env): number {
  const raw = env.FLINK_DASHBOARD_MAX_BODY_BYTES?.trim();
  if (!raw) return DEFAULT_MAX_BODY_BYTES;
  if (!/^\d+$/.test(raw) || Number(raw) < 1024) {
    throw new ApiError('unavailable', `The server is misconfigured: FLINK_DASHBOARD_MAX_BODY_BYTES is a number of bytes, at least 1024. It is "${raw}".`);
  }
  return Number(raw);
}

function tooLarge(max: number): ApiError {
  return new ApiError('payload_too_large', `The request body is larger than the ${max} bytes this dashboard accepts. Nothing was changed.`);
}

/**
 * The request's body as text, refused with a 413 past `max` bytes: by its Content-Length before
 * anything is read, else as the bytes arrive (a chunked body is never buffered past the limit).
 */
export async function readBodyText(request: Request, max = readMaxBodyBytes()): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > max) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(max);
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let next: ReadableStreamReadResult<Uint8Array>;
    try {
      next = await reader.read();
    } catch {
      throw new ApiError('bad_request', 'The request body could not be read to its end.');
    }
    if (next.done) break;
    size += next.value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(next.value);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new ApiError('bad_request', 'The request body is not UTF-8 text.');
  }
}

/** The request's JSON body (at most FLINK_DASHBOARD_MAX_BODY_BYTES); malformed JSON is a 400, not a 500. */
export async function readJsonBody(request: Request, options: { emptyAs?: unknown } = {}): Promise<unknown> {
  const text = await readBodyText(request);
  if (text.trim() === '' && 'emptyAs' in options) return options.emptyAs;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'The request body is not valid JSON.');
  }
}
