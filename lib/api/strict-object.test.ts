import { describe, expect, it } from 'vitest';
import { clusterSpecSchema } from '@/lib/flink/cluster-spec-schema';
import { jarRunSchema } from '@/lib/jars/jar-schemas';
import { toErrorResponse } from './to-error-response';

async function refusal(parse: () => unknown) {
  try {
    parse();
  } catch (err) {
    const res = toErrorResponse(err);
    return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; issues: { path: string; message: string }[] } } };
  }
  throw new Error('parsed');
}

describe('strict fields', () => {
  it('refuses a misspelled top-level field, naming it and a near known name', async () => {
    const { status, body } = await refusal(() => clusterSpecSchema.parse({ clusterId: 'x', clusterid: 'y' }));
    expect(status).toBe(422);
    expect(body.error.message).toBe('Unknown field "clusterid" (did you mean "clusterId"?). Nothing was changed.');
    expect(body.error.issues).toEqual([{ path: 'clusterid', message: 'Unknown field "clusterid" (did you mean "clusterId"?)' }]);
  });

  it('suggests a field one level down when the name belongs there (labls → jobManager.labels)', async () => {
    const { body } = await refusal(() => clusterSpecSchema.parse({ clusterId: 'x', labls: { team: 'a' } }));
    expect(body.error.message).toBe('Unknown field "labls" (did you mean "jobManager.labels" or "taskManager.labels"?). Nothing was changed.');
  });

  it('names a nested unknown field with its path, one issue per field', async () => {
    const { body } = await refusal(() => clusterSpecSchema.parse({ clusterId: 'x', jobManager: { cpus: '1', labls: {} } }));
    expect(body.error.issues).toEqual([
      { path: 'jobManager.cpus', message: 'Unknown field "cpus" (did you mean "cpu"?)' },
      { path: 'jobManager.labls', message: 'Unknown field "labls" (did you mean "labels"?)' },
    ]);
    expect(body.error.message).toBe('Unknown field "cpus" (did you mean "cpu"?) at jobManager.cpus (and 1 more problem). Nothing was changed.');
  });

  it('shows a hostile key safely and suggests nothing far off', async () => {
    const { body } = await refusal(() => jarRunSchema.parse({ jobId: 'a'.repeat(32), 'x\r\nSet-Cookie: a=b': 1 }));
    expect(body.error.issues[0].message).toBe('Unknown field "x\\r\\nSet-Cookie: a=b"');
  });

  it('accepts every known field', () => {
    expect(() => clusterSpecSchema.parse({ clusterId: 'x', jobManager: { labels: { team: 'a' } }, ha: { enabled: false } })).not.toThrow();
  });
});

describe('known query parameters', async () => {
  const { assertKnownQuery } = await import('./known-query');
  it('refuses an unknown query parameter by name, with a near known one', async () => {
    const { status, body } = await refusal(() => assertKnownQuery(new Request('http://x/api/clusters?contxt=a&context=b'), ['context']));
    expect(status).toBe(422);
    expect(body.error.message).toBe('Unknown query parameter "contxt" (did you mean "context"?). This route takes "context". Nothing was changed.');
    expect(body.error.issues).toEqual([{ path: 'query.contxt', message: 'Unknown query parameter "contxt" (did you mean "context"?)' }]);
  });
  it('passes the known ones', () => {
    expect(() => assertKnownQuery(new Request('http://x/api/clusters?context=b&namespace=c'), ['context', 'namespace'])).not.toThrow();
  });
});
