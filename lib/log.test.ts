import { afterEach, describe, expect, it } from 'vitest';
import { log, logger, redact, redactText, REDACTED, setLogSink, type LogLevel } from './log';

function capture(): { lines: { line: string; level: LogLevel }[]; parsed: () => Record<string, unknown>[] } {
  const lines: { line: string; level: LogLevel }[] = [];
  setLogSink((line, level) => lines.push({ line, level }));
  return { lines, parsed: () => lines.map((l) => JSON.parse(l.line) as Record<string, unknown>) };
}

afterEach(() => {
  setLogSink(undefined);
  delete process.env.LOG_LEVEL;
});

const JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpkYXNoYm9hcmQifQ.c2lnbmF0dXJlLWJ5dGVz';

describe('lib/log', () => {
  it('writes one JSON object per line with time, level, msg first and the fields', () => {
    const out = capture();
    logger.info('cluster created', { namespace: 'team-a', clusterId: 'orders', count: 2 });
    expect(out.lines).toHaveLength(1);
    expect(out.lines[0].line).not.toContain('\n');
    const [entry] = out.parsed();
    expect(Object.keys(entry).slice(0, 3)).toEqual(['time', 'level', 'msg']);
    expect(entry).toMatchObject({ level: 'info', msg: 'cluster created', namespace: 'team-a', clusterId: 'orders', count: 2 });
    expect(Date.parse(entry.time as string)).not.toBeNaN();
  });

  it('fields cannot overwrite time, level or msg', () => {
    const out = capture();
    log('warn', 'real', { time: 'forged', level: 'debug', msg: 'forged' });
    expect(out.parsed()[0]).toMatchObject({ level: 'warn', msg: 'real' });
    expect(out.parsed()[0].time).not.toBe('forged');
  });

  it('redacts Authorization, cookies and tokens at any depth, in any case', () => {
    const out = capture();
    logger.error('upstream failed', {
      request: {
        headers: { Authorization: `Bearer ${JWT}`, cookie: 'fnd_session=s3cr3t-cookie; theme=dark', 'X-CSRF-Token': 'csrf-123', accept: 'application/json' },
      },
      user: { name: 'alice', token: 'static-token-value', password: 'hunter2', id_token: 'idtok', access_token: 'acctok' },
      list: [{ 'Set-Cookie': 'fnd_session=other-secret; HttpOnly' }],
    });
    const line = out.lines[0].line;
    for (const secret of [JWT, 's3cr3t-cookie', 'csrf-123', 'static-token-value', 'hunter2', 'idtok', 'acctok', 'other-secret']) {
      expect(line).not.toContain(secret);
    }
    const entry = out.parsed()[0] as { request: { headers: Record<string, string> }; user: Record<string, string> };
    expect(entry.request.headers.Authorization).toBe(REDACTED);
    expect(entry.request.headers.cookie).toBe(REDACTED);
    expect(entry.request.headers.accept).toBe('application/json');
    expect(entry.user.name).toBe('alice');
    expect(out.lines[0].level).toBe('error');
  });

  it('redacts credentials inside messages, strings and errors', () => {
    const out = capture();
    const err = new Error(`request to https://k8s/api failed: headers {"authorization":"Bearer abc.def-123"} Cookie: fnd_session=zzz9`);
    logger.error(`calling with token=${JWT}&x=1`, { err, note: `sent Bearer opaque-token-42` });
    const line = out.lines[0].line;
    for (const secret of ['abc.def-123', 'zzz9', JWT, 'opaque-token-42']) expect(line).not.toContain(secret);
    const entry = out.parsed()[0] as { err: { name: string; message: string; stack: string } };
    expect(entry.err.name).toBe('Error');
    expect(entry.err.message).toContain('request to https://k8s/api failed');
    expect(entry.err.stack).toBeTypeOf('string');
  });

  it('redacts a Headers object and survives cycles', () => {
    const headers = new Headers({ authorization: 'Bearer xyz', 'content-type': 'text/plain' });
    expect(redact({ headers })).toEqual({ headers: { authorization: REDACTED, 'content-type': 'text/plain' } });
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ a: 1, self: '[circular]' });
    expect(redactText('Basic dXNlcjpwYXNz')).toBe(`Basic ${REDACTED}`);
  });

  it('LOG_LEVEL drops lower levels', () => {
    const out = capture();
    process.env.LOG_LEVEL = 'warn';
    logger.info('quiet');
    logger.debug('quieter');
    logger.warn('loud');
    expect(out.parsed().map((e) => e.msg)).toEqual(['loud']);
  });
});
