// Server logs as one JSON object per line: {"time","level","msg",...fields}. What a log collector in
// Kubernetes (kubectl logs, Loki, Cloud Logging) reads without a parser per format.
//
// Secrets never reach a log line: fields named like a credential (authorization, cookie, token,
// password, secret, …) are replaced by "[redacted]" at any depth, and bearer tokens, JWTs and
// cookie headers inside strings (an error message that quotes a request) are cut out too.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export const REDACTED = '[redacted]';

/** Field names whose values are credentials, whatever their case or separators. */
const SECRET_KEY =
  /^(authorization|proxy-?authorization|cookie|set-?cookie|x-?csrf-?token|csrf-?token|(access|refresh|id|bearer|session|api)?[-_]?token|tokens|password|passwd|secret|client-?secret|session|private-?key|credentials?)$/i;

/** Credentials inside free text: `Bearer xyz`, `Basic xyz`, JWTs, `Cookie: a=b; c=d`, `token=…`. */
const SECRET_TEXT: [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [/\b((?:set-)?cookie|authorization)(["']?\s*[:=]\s*["']?)[^"'\n]*/gi, `$1$2${REDACTED}`],
  [/\b((?:access_|refresh_|id_)?token|password|secret)=([^&\s"']+)/gi, `$1=${REDACTED}`],
];

export function redactText(text: string): string {
  let out = text;
  for (const [re, replacement] of SECRET_TEXT) out = out.replace(re, replacement);
  return out;
}

function isHeadersLike(v: object): v is Headers {
  return typeof Headers !== 'undefined' && v instanceof Headers;
}

/** A copy of `value` that is safe to log: credentials redacted, errors as {name, message, stack}, cycles cut. */
export function redact(value: unknown, seen = new WeakSet<object>(), depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'function' || typeof value === 'symbol') return undefined;
    return value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth > 8) return '[too deep]';
  seen.add(value);
  if (value instanceof Error) {
    const e = value as Error & { code?: unknown; statusCode?: unknown; cause?: unknown };
    const out: Record<string, unknown> = { name: e.name, message: redactText(e.message) };
    if (typeof e.code === 'string' || typeof e.code === 'number') out.code = e.code;
    if (typeof e.statusCode === 'number') out.statusCode = e.statusCode;
    if (e.stack) out.stack = redactText(e.stack);
    if (e.cause !== undefined) out.cause = redact(e.cause, seen, depth + 1);
    return out;
  }
  if (value instanceof Date) return value.toISOString();
  if (isHeadersLike(value)) return redact(Object.fromEntries(value.entries()), seen, depth + 1);
  if (Array.isArray(value)) return value.map((v) => redact(v, seen, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redact(v, seen, depth + 1);
  }
  return out;
}

type Sink = (line: string, level: LogLevel) => void;

const defaultSink: Sink = (line, level) => {
  // warn and error on stderr, the rest on stdout: both reach `kubectl logs`.
  const stream = level === 'warn' || level === 'error' ? process.stderr : process.stdout;
  stream.write(`${line}\n`);
};

const g = globalThis as unknown as { __flinkDashLogSink?: Sink };

/** For tests: where lines go (answers the previous sink). */
export function setLogSink(sink: Sink | undefined): Sink | undefined {
  const previous = g.__flinkDashLogSink;
  g.__flinkDashLogSink = sink;
  return previous;
}

function minLevel(): number {
  const wanted = (typeof process !== 'undefined' ? process.env.LOG_LEVEL : undefined)?.toLowerCase();
  return wanted && wanted in LEVELS ? LEVELS[wanted as LogLevel] : LEVELS.info;
}

/** Writes one line `{"time","level","msg",...fields}`; fields are redacted and cannot overwrite time/level/msg. */
export function log(level: LogLevel, msg: string, fields: LogFields = {}): void {
  if (LEVELS[level] < minLevel()) return;
  const rest = redact(fields) as Record<string, unknown>;
  for (const reserved of ['time', 'level', 'msg']) delete rest[reserved];
  let line: string;
  try {
    line = JSON.stringify({ time: new Date().toISOString(), level, msg: redactText(msg), ...rest });
  } catch {
    line = JSON.stringify({ time: new Date().toISOString(), level, msg: redactText(msg), fields: '[unserialisable]' });
  }
  (g.__flinkDashLogSink ?? defaultSink)(line, level);
}

export const logger = {
  debug: (msg: string, fields?: LogFields) => log('debug', msg, fields),
  info: (msg: string, fields?: LogFields) => log('info', msg, fields),
  warn: (msg: string, fields?: LogFields) => log('warn', msg, fields),
  error: (msg: string, fields?: LogFields) => log('error', msg, fields),
};
