import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '@/lib/k8s/clusters/testing/route-harness';

vi.mock('server-only', () => ({}));

// Property-based fuzzing of every route handler with random and hostile inputs: path params, query
// params, headers and bodies. Every answer is below 500 and, when it is an error, in the one error
// shape; no input makes the dashboard create or delete a Kubernetes object (the sim's own count of
// successful writes, /_sim/info `mutations`). Handlers are called directly, against a sim this file
// starts. FUZZ_RUNS (default 80) runs per route and method: 80 × 42 = 3,360 requests.
const RUNS = Number(process.env.FUZZ_RUNS ?? 80);

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
type Route = { path: string; params: string[]; methods: Record<string, Handler>; stream?: boolean; catchAll?: string };

async function route(path: string, load: () => Promise<Record<string, unknown>>, opts: { stream?: boolean; catchAll?: string } = {}): Promise<Route> {
  const mod = await load();
  const methods: Record<string, Handler> = {};
  for (const m of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']) if (typeof mod[m] === 'function') methods[m] = mod[m] as Handler;
  const params = [...path.matchAll(/\[([a-zA-Z]+)\]/g)].map((x) => x[1]);
  return { path, params, methods, ...opts };
}

let h: Harness;
let routes: Route[];
const ns = `fuzz-${Date.now().toString(36)}`;

/** Successful writes by the dashboard (not the sim's own controllers or pods). */
async function dashboardWrites(): Promise<Record<string, Record<string, number>>> {
  const { mutations } = (await h.sim.request('GET', '/_sim/info')) as { mutations: Record<string, Record<string, number>> };
  return Object.fromEntries(Object.entries(mutations).filter(([who]) => !who.endsWith('kubernetes/sim') && !who.startsWith('system:serviceaccount:')));
}

beforeAll(async () => {
  h = await startHarness();
  await h.sim.createNamespace(ns);
  routes = await Promise.all([
    route('/api/clusters', () => import('./clusters/route')),
    route('/api/clusters/preflight', () => import('./clusters/preflight/route')),
    route('/api/clusters/[namespace]/[id]', () => import('./clusters/[namespace]/[id]/route')),
    route('/api/clusters/[namespace]/[id]/config', () => import('./clusters/[namespace]/[id]/config/route')),
    route('/api/clusters/[namespace]/[id]/config/object', () => import('./clusters/[namespace]/[id]/config/object/route')),
    route('/api/clusters/[namespace]/[id]/delete-plan', () => import('./clusters/[namespace]/[id]/delete-plan/route')),
    route('/api/clusters/[namespace]/[id]/failover', () => import('./clusters/[namespace]/[id]/failover/route')),
    route('/api/clusters/[namespace]/[id]/flink-ui', () => import('./clusters/[namespace]/[id]/flink-ui/[[...path]]/route'), { catchAll: 'path' }),
    route('/api/clusters/[namespace]/[id]/flink', () => import('./clusters/[namespace]/[id]/flink/route')),
    route('/api/clusters/[namespace]/[id]/jars', () => import('./clusters/[namespace]/[id]/jars/route')),
    route('/api/clusters/[namespace]/[id]/jars/[jarId]', () => import('./clusters/[namespace]/[id]/jars/[jarId]/route')),
    route('/api/clusters/[namespace]/[id]/jars/[jarId]/run', () => import('./clusters/[namespace]/[id]/jars/[jarId]/run/route')),
    route('/api/clusters/[namespace]/[id]/jobs/[jobId]/cancel', () => import('./clusters/[namespace]/[id]/jobs/[jobId]/cancel/route')),
    route('/api/clusters/[namespace]/[id]/jobs/[jobId]/checkpoints', () => import('./clusters/[namespace]/[id]/jobs/[jobId]/checkpoints/route')),
    route('/api/clusters/[namespace]/[id]/jobs/[jobId]/checkpoints/[triggerId]', () => import('./clusters/[namespace]/[id]/jobs/[jobId]/checkpoints/[triggerId]/route')),
    route('/api/clusters/[namespace]/[id]/jobs/[jobId]/savepoints', () => import('./clusters/[namespace]/[id]/jobs/[jobId]/savepoints/route')),
    route('/api/clusters/[namespace]/[id]/jobs/[jobId]/savepoints/[triggerId]', () => import('./clusters/[namespace]/[id]/jobs/[jobId]/savepoints/[triggerId]/route')),
    route('/api/clusters/[namespace]/[id]/jobs/[jobId]/stop', () => import('./clusters/[namespace]/[id]/jobs/[jobId]/stop/route')),
    route('/api/clusters/[namespace]/[id]/jobs/watch', () => import('./clusters/[namespace]/[id]/jobs/watch/route'), { stream: true }),
    route('/api/clusters/[namespace]/[id]/pods/[pod]/log', () => import('./clusters/[namespace]/[id]/pods/[pod]/log/route'), { stream: true }),
    route('/api/clusters/[namespace]/[id]/watch', () => import('./clusters/[namespace]/[id]/watch/route'), { stream: true }),
    route('/api/configmaps', () => import('./configmaps/route')),
    route('/api/contexts', () => import('./contexts/route')),
    route('/api/ha-health', () => import('./ha-health/route')),
    route('/api/ha-health/watch', () => import('./ha-health/watch/route'), { stream: true }),
    route('/api/ha-leftovers', () => import('./ha-leftovers/route')),
    route('/api/ha-leftovers/[namespace]/[id]', () => import('./ha-leftovers/[namespace]/[id]/route')),
    route('/api/live', () => import('./live/route'), { stream: true }),
    route('/api/live/stats', () => import('./live/stats/route')),
    route('/api/namespaces', () => import('./namespaces/route')),
    route('/api/nodes', () => import('./nodes/route')),
    route('/api/presets', () => import('./presets/route')),
    route('/api/presets/[namespace]/[name]', () => import('./presets/[namespace]/[name]/route')),
    route('/api/secrets', () => import('./secrets/route')),
    route('/api/service-accounts/check', () => import('./service-accounts/check/route')),
    route('/api/watch/clusters', () => import('./watch/clusters/route'), { stream: true }),
  ]);
}, 120_000);

afterAll(async () => {
  await h?.stop();
});

// ---- hostile inputs ----

const oddNames = fc.constantFrom(
  '', ' ', '.', '..', '../..', '../../etc/passwd', '..%2f..%2fetc', '%2e%2e', 'a/b', 'a\\b', '_all', 'kube-system', 'default', ns,
  'A'.repeat(300), 'x'.repeat(64), 'Ünïcödé', '名前', '💥', 'a\u0000b', 'a\r\nSet-Cookie: x=1', 'a%0d%0ax-injected:1', '-leading', 'trailing-',
  'CAPS', 'with space', 'semi;colon', 'q?x=1', 'h#frag', '$(id)', '`id`', "'; DROP TABLE x;--", '{{7*7}}', '${jndi:ldap://x}', '__proto__', 'constructor',
);
const name = fc.oneof({ weight: 3, arbitrary: oddNames }, fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/));
const jobLike = fc.oneof(name, fc.stringMatching(/^[0-9a-f]{32}$/), fc.stringMatching(/^[0-9a-f]{1,40}$/));

const billionLaughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
const yamlTricks = fc.constantFrom(
  billionLaughs,
  `apiVersion: v1\nkind: Pod\nmetadata: &m {name: x}\nspec:\n  <<: *m\n  containers: []`,
  `!!python/object/apply:os.system ["id"]`,
  `apiVersion: v1\nkind: Pod\nspec: !!js/function "function(){return 1}"`,
  `key: !!binary aGVsbG8=\n? [complex, key]\n: value`,
  `--- a\n--- b\n...`,
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  name: y`,
  `{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "flink-main-container", "image": "x\\r\\nInjected: 1"}]}}`,
  `*undefined_alias`,
  `\ttab: indented`,
  `a: ${'['.repeat(5000)}`,
  `!<tag:yaml.org,2002:set> {a, b}`,
  `kubernetes.cluster-id: other\nhigh-availability: x`,
);
const hostileString = fc.oneof(name, yamlTricks, fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('\u202e', '\ufeff', '\ud800', 'x\n'.repeat(2000)));

/** A spec-shaped body with one certain defect (a bad cluster id, an unknown field), so create cannot succeed. */
const defectiveSpec = fc.record({
  clusterId: fc.oneof(fc.constant('Bad_Id'), fc.constant(''), fc.constant('a'.repeat(60)), fc.integer(), fc.constant(null)),
  namespace: name,
  flinkVersion: fc.oneof(fc.constant('1.20'), hostileString),
  jobManager: fc.record({ podTemplate: yamlTricks, labels: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }), env: fc.array(fc.record({ name: hostileString, value: hostileString }), { maxLength: 3 }) }, { requiredKeys: [] }),
  taskManager: fc.record({ podTemplate: yamlTricks, slots: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] }),
  flinkConfig: fc.array(fc.record({ key: hostileString, value: fc.oneof(hostileString, yamlTricks) }), { maxLength: 4 }),
  labls: fc.constant({ team: 'a' }),
  haLeftovers: fc.oneof(fc.constant('purge'), hostileString),
}, { requiredKeys: ['clusterId'] });

/** A spec that may be valid: only for the dry-run preflight, which stores nothing. */
const maybeValidSpec = fc.record({
  clusterId: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/), name),
  namespace: fc.constantFrom(ns, 'default'),
  jobManager: fc.record({ podTemplate: yamlTricks }, { requiredKeys: [] }),
  flinkConfig: fc.array(fc.record({ key: fc.constantFrom('parallelism.default', 'a.b', 'kubernetes.cluster-id'), value: fc.oneof(hostileString, yamlTricks) }), { maxLength: 3 }),
}, { requiredKeys: ['clusterId'] });

const deep = fc.integer({ min: 1_000, max: 200_000 }).chain((n) =>
  fc.constantFrom('['.repeat(n) + ']'.repeat(n), '{"a":'.repeat(n) + '1' + '}'.repeat(n), `{"clusterId":"x","jobManager":${'{"labels":'.repeat(Math.min(n, 50_000))}{}${'}'.repeat(Math.min(n, 50_000))}}`),
);

const body = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  defectiveSpec.map((v) => JSON.stringify(v)),
  deep,
  fc.constantFrom(
    '{"__proto__":{"polluted":true},"clusterId":"Bad_Id"}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"purgeHaData":true,"purgeHAData":true}',
    '{"pod":"../../etc"}',
    '{"jobId":"00000000000000000000000000000000","programArgs":["a"],"flinkConfiguration":{"a\\u0000":"b"}}',
    `{"clusterId":"big","flinkConfig":[{"key":"x","value":"${'y'.repeat(1_100_000)}"}]}`,
    '\u0000\u0001\u0002',
    'PK\u0003\u0004not a jar',
    '{"a":1,"a":2}',
  ),
);

const queryKey = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('context', 'namespace', 'name', 'kind', 'purgeHaData', 'topic', 'container', 'tailLines', 'previous', 'ha', 'job', 'follow', 'sinceSeconds') }, name);
const queryValue = fc.oneof(fc.constantFrom('sim-admin', 'sim-viewer', 'true', 'false', '-1', '1e309', 'NaN', ns, '/api/watch/clusters', '/api/../../etc'), hostileString);
const query = fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 });

const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,200}$/);
const randomHeaders = fc.record(
  {
    origin: fc.oneof(fc.constantFrom('http://dashboard.test', 'https://evil.example', 'null', 'http://dashboard.test:80'), headerValue),
    'sec-fetch-site': fc.oneof(fc.constantFrom('same-origin', 'cross-site', 'same-site', 'none'), headerValue),
    cookie: fc.oneof(fc.constant('flink-dashboard-csrf=' + 'a'.repeat(43)), headerValue),
    'x-csrf-token': fc.oneof(fc.constant('a'.repeat(43)), headerValue),
    'content-type': fc.oneof(fc.constantFrom('application/json', 'application/java-archive', 'text/plain', 'multipart/form-data; boundary=x'), headerValue),
    'x-forwarded-host': headerValue,
    'x-forwarded-for': headerValue,
    accept: headerValue,
  },
  { requiredKeys: [] },
);
// Mostly requests that pass the cross-site check (none, or same-origin with the token), so the inputs reach the handlers.
const token = 'a'.repeat(43);
const headers = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Record<string, string>>({}) },
  { weight: 3, arbitrary: fc.constant<Record<string, string>>({ origin: 'http://dashboard.test', 'sec-fetch-site': 'same-origin', cookie: `flink-dashboard-csrf=${token}`, 'x-csrf-token': token }) },
  { weight: 1, arbitrary: randomHeaders },
);

type Input = { routeIndex: number; method: string; params: Record<string, string>; segments: string[]; query: [string, string][]; headers: Record<string, string>; body?: string };

function errorShaped(text: string): boolean {
  try {
    const b = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return typeof b.error?.code === 'string' && typeof b.error.message === 'string' && b.error.message.length > 0;
  } catch {
    return false;
  }
}

const seen = new Map<number, number>();

async function send(r: Route, input: Input): Promise<void> {
  const search = new URLSearchParams(input.query).toString();
  const url = `http://dashboard.test${r.path.replace(/\[([a-zA-Z]+)\]/g, (_, p: string) => encodeURIComponent(input.params[p]))}${search ? `?${search}` : ''}`;
  const abort = new AbortController();
  const hasBody = input.body !== undefined && input.method !== 'GET' && input.method !== 'HEAD';
  const req = new Request(url, { method: input.method, headers: input.headers, body: hasBody ? input.body : undefined, signal: abort.signal });
  const params: Record<string, string | string[]> = { ...input.params };
  if (r.catchAll) params[r.catchAll] = input.segments;
  let res: Response;
  try {
    res = await r.methods[input.method](req, { params: Promise.resolve(params) });
  } finally {
    if (r.stream) abort.abort();
  }
  seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
  const where = `${input.method} ${url} (${JSON.stringify(input.headers).slice(0, 300)}) body ${JSON.stringify(input.body ?? '').slice(0, 300)}`;
  // No header an input could have written: values pass through the Headers API, which refuses CR/LF.
  for (const [k] of res.headers) expect(k, where).not.toMatch(/injected|set-cookie/i);
  if (res.status >= 400) {
    const text = await res.text();
    expect(res.status, `${where} → ${text.slice(0, 500)}`).toBeLessThan(500);
    // A HEAD answer's body never reaches the client; every other error is in the one shape.
    if (input.method !== 'HEAD') expect(errorShaped(text), `${where} → ${text.slice(0, 500)}`).toBe(true);
  } else {
    expect(res.status, where).toBeLessThan(400);
    await res.body?.cancel().catch(() => undefined);
  }
}

describe('fuzzing every route', () => {
  it('counts the routes it fuzzes', () => {
    expect(routes.length).toBe(36);
    expect(routes.flatMap((r) => Object.keys(r.methods)).length).toBe(42);
  });

  it('answers every random and hostile input below 500, in the error shape, and changes nothing in the cluster', { timeout: 300_000 }, async () => {
    const before = await dashboardWrites();
    const targets = routes.flatMap((r, routeIndex) => Object.keys(r.methods).map((method) => ({ routeIndex, method })));
    let total = 0;
    for (const { routeIndex, method } of targets) {
      const r = routes[routeIndex];
      const isPreflight = r.path === '/api/clusters/preflight';
      const paramsArb = fc.record(Object.fromEntries(r.params.map((p) => [p, p === 'jobId' || p === 'triggerId' || p === 'jarId' ? jobLike : name])) as Record<string, fc.Arbitrary<string>>);
      const bodyArb = isPreflight ? fc.oneof(body, maybeValidSpec.map((v) => JSON.stringify(v))) : body;
      await fc.assert(
        fc.asyncProperty(paramsArb, fc.array(name, { maxLength: 4 }), query, headers, bodyArb, async (params, segments, q, hdrs, b) => {
          total++;
          await send(r, { routeIndex, method, params, segments, query: q, headers: hdrs, body: b });
        }),
        { numRuns: RUNS },
      );
    }
    const after = await dashboardWrites();
    expect(after, 'the dashboard wrote to the cluster').toEqual(before);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(total).toBe(targets.length * RUNS);
    console.log(`fuzz: ${total} requests over ${targets.length} route methods; statuses ${JSON.stringify(Object.fromEntries([...seen].sort()))}`);
  });
});
