// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import type { ClusterSpecInput } from '@/lib/flink/cluster-spec-schema';
import { clusterDetailQueries, FLINK_REST_REFETCH_MS } from './cluster-detail-queries';
import { clusterQueries } from './cluster-queries';
import { createClusterQueries, useCreateCluster, useDeletePreset, useSavePreset } from './create-cluster-queries';
import { ClientApiError } from './fetch-json';
import { sendJson, startLocalServer, type Handler, type LocalServer } from './testing/local-server';

// The query and mutation factories as the pages use them: a real QueryClient in a DOM whose page
// is served by a local HTTP server standing in for the dashboard's API (relative URLs, as in the app).
let server: LocalServer;
/** Answers by path (without the query string); anything else is 404 in the one error shape. */
let routes: Record<string, (body: string) => { status: number; body?: unknown }> = {};

const router: Handler = (req, res, body) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const route = routes[`${req.method} ${url.pathname}`];
  if (!route) return sendJson(res, 404, { error: { code: 'not_found', message: `No route ${req.method} ${url.pathname}.` } });
  const answer = route(body);
  if (answer.body === undefined) {
    res.writeHead(answer.status);
    return res.end();
  }
  sendJson(res, answer.status, answer.body);
};

beforeAll(async () => {
  server = await startLocalServer(router);
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.url}/clusters/new`);
});
afterAll(() => server.close());

let queryClient: QueryClient;
beforeEach(() => {
  routes = {};
  server.handle(router);
  server.requests.length = 0;
  queryClient = new QueryClient();
});
afterEach(() => {
  cleanup();
  queryClient.clear();
});

const wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
const paths = () => server.requests.map((r) => `${r.method} ${r.path}`);

describe('clusterQueries', () => {
  const scope = { context: 'arn:aws:eks:eu-west-1:1:cluster/prod a', namespace: '_all' };

  it('list: keyed by context and namespace, reads /api/clusters with the scope in the query string', async () => {
    expect(clusterQueries.list(scope).queryKey).toEqual(['clusters', 'list', scope.context, '_all']);
    expect(clusterQueries.list(scope).queryKey.slice(0, 2)).toEqual(clusterQueries.lists());
    routes['GET /api/clusters'] = () => ({ status: 200, body: { items: [{ key: 'ns/c', resourceVersion: '1' }] } });
    expect(await queryClient.fetchQuery(clusterQueries.list(scope))).toEqual([{ key: 'ns/c', resourceVersion: '1' }]);
    expect(paths()).toEqual(['GET /api/clusters?context=arn%3Aaws%3Aeks%3Aeu-west-1%3A1%3Acluster%2Fprod+a&namespace=_all']);
    expect(server.requests[0].headers.accept).toBe('application/json');
    expect(clusterQueries.watchUrl(scope)).toBe('/api/watch/clusters?context=arn%3Aaws%3Aeks%3Aeu-west-1%3A1%3Acluster%2Fprod+a&namespace=_all');
  });

  it('list: an error is the server\'s message, asked once (no retries), and the list never goes stale by itself', async () => {
    routes['GET /api/clusters'] = () => ({ status: 403, body: { error: { code: 'forbidden', message: 'You may not list deployments.' } } });
    const { result } = renderHook(() => useQuery(clusterQueries.list({ context: 'c', namespace: 'team-a' })), { wrapper });
    await waitFor(() => expect(result.current.isError).toBe(true));
    expect(result.current.error).toBeInstanceOf(ClientApiError);
    expect(result.current.error).toMatchObject({ code: 'forbidden', status: 403, message: 'You may not list deployments.' });
    expect(paths()).toEqual(['GET /api/clusters?context=c&namespace=team-a']);

    routes['GET /api/clusters'] = () => ({ status: 200, body: { items: [] } });
    void result.current.refetch();
    await waitFor(() => expect(result.current.data).toEqual([]));
    expect(result.current.isStale).toBe(false);
  });
});

describe('clusterDetailQueries', () => {
  const ref = { context: 'kind-dev', namespace: 'team-a', clusterId: 'my-cluster' };

  it('objects and flink: keyed under the cluster, URLs built from namespace, id and context', async () => {
    expect(clusterDetailQueries.objects(ref).queryKey).toEqual(['cluster-detail', 'kind-dev', 'team-a', 'my-cluster', 'objects']);
    expect(clusterDetailQueries.flink(ref).queryKey).toEqual(['cluster-detail', 'kind-dev', 'team-a', 'my-cluster', 'flink']);
    routes['GET /api/clusters/team-a/my-cluster'] = () => ({ status: 200, body: { items: [{ key: 'Deployment/team-a/my-cluster' }] } });
    routes['GET /api/clusters/team-a/my-cluster/flink'] = () => ({ status: 200, body: { reachable: false, message: 'm' } });
    expect(await queryClient.fetchQuery(clusterDetailQueries.objects(ref))).toEqual([{ key: 'Deployment/team-a/my-cluster' }]);
    expect(await queryClient.fetchQuery(clusterDetailQueries.flink(ref))).toEqual({ reachable: false, message: 'm' });
    expect(paths()).toEqual(['GET /api/clusters/team-a/my-cluster?context=kind-dev', 'GET /api/clusters/team-a/my-cluster/flink?context=kind-dev']);
    expect(clusterDetailQueries.watchUrl(ref)).toBe('/api/clusters/team-a/my-cluster/watch?context=kind-dev');
  });

  it('flink is re-read every FLINK_REST_REFETCH_MS while observed', async () => {
    let n = 0;
    routes['GET /api/clusters/team-a/my-cluster/flink'] = () => ({ status: 200, body: { reachable: false, message: `try ${++n}` } });
    const { result } = renderHook(() => useQuery(clusterDetailQueries.flink(ref)), { wrapper });
    await waitFor(() => expect(result.current.data).toEqual({ reachable: false, message: 'try 1' }));
    await waitFor(() => expect(result.current.data).toEqual({ reachable: false, message: 'try 2' }), { timeout: FLINK_REST_REFETCH_MS + 2_000 });
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    expect(second.path).toBe(first.path);
    expect(second.at - first.at).toBeGreaterThanOrEqual(FLINK_REST_REFETCH_MS - 50);
  });
});

describe('createClusterQueries', () => {
  const spec = { clusterId: 'c1', namespace: 'team-a' } as ClusterSpecInput;

  it('preflight: POSTs the spec with the context, keyed by context and spec, keeping the previous report while the next loads', async () => {
    expect(createClusterQueries.preflight('ctx', spec).queryKey).toEqual(['create-cluster', 'preflight', 'ctx', spec]);
    routes['POST /api/clusters/preflight'] = (body) => ({ status: 200, body: { echo: JSON.parse(body) } });
    const { result, rerender } = renderHook((p: { spec: ClusterSpecInput }) => useQuery(createClusterQueries.preflight('ctx', p.spec)), {
      wrapper,
      initialProps: { spec },
    });
    await waitFor(() => expect(result.current.data).toEqual({ echo: spec }));
    const req = server.requests[0];
    expect(`${req.method} ${req.path}`).toBe('POST /api/clusters/preflight?context=ctx');
    expect(req.headers['content-type']).toBe('application/json');

    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    routes['POST /api/clusters/preflight'] = (body) => ({ status: 200, body: { echo: JSON.parse(body) } });
    const next = { ...spec, clusterId: 'c2' };
    const before = server.requests.length;
    server.handle(async (_req, res, body) => {
      await held;
      sendJson(res, 200, { echo: JSON.parse(body) });
    });
    rerender({ spec: next });
    await waitFor(() => expect(server.requests.length).toBe(before + 1));
    // Still the previous report, marked as a placeholder, while the new one is on its way.
    expect(result.current.data).toEqual({ echo: spec });
    expect(result.current.isPlaceholderData).toBe(true);
    release();
    await waitFor(() => expect(result.current.data).toEqual({ echo: next }));
  });

  it('nodes, secrets, configMaps, serviceAccount and presets: keys and URLs carry every input', async () => {
    routes['GET /api/nodes'] = () => ({ status: 200, body: { items: ['n'] } });
    routes['GET /api/secrets'] = () => ({ status: 200, body: { items: ['s'] } });
    routes['GET /api/configmaps'] = () => ({ status: 200, body: { items: ['cm'] } });
    routes['GET /api/service-accounts/check'] = () => ({ status: 200, body: { ok: true } });
    routes['GET /api/presets'] = () => ({ status: 200, body: { items: ['p'] } });
    expect(createClusterQueries.nodes('ctx').queryKey).toEqual(['create-cluster', 'nodes', 'ctx']);
    expect(createClusterQueries.secrets('ctx', 'ns').queryKey).toEqual(['create-cluster', 'secrets', 'ctx', 'ns']);
    expect(createClusterQueries.configMaps('ctx', 'ns').queryKey).toEqual(['create-cluster', 'configmaps', 'ctx', 'ns']);
    expect(createClusterQueries.serviceAccount('ctx', 'ns', 'flink', true).queryKey).toEqual(['create-cluster', 'service-account', 'ctx', 'ns', 'flink', true]);
    expect(createClusterQueries.presets('ctx', 'ns').queryKey).toEqual(['create-cluster', 'presets', 'ctx', 'ns']);
    expect(createClusterQueries.presets('ctx', 'ns').queryKey.slice(0, 2)).toEqual(createClusterQueries.presetLists());

    expect(await queryClient.fetchQuery(createClusterQueries.nodes('ctx'))).toEqual(['n']);
    expect(await queryClient.fetchQuery(createClusterQueries.secrets('ctx', 'ns'))).toEqual(['s']);
    expect(await queryClient.fetchQuery(createClusterQueries.configMaps('ctx', 'ns'))).toEqual(['cm']);
    expect(await queryClient.fetchQuery(createClusterQueries.serviceAccount('ctx', 'ns', 'flink', true))).toEqual({ ok: true });
    expect(await queryClient.fetchQuery(createClusterQueries.presets('ctx', 'ns'))).toEqual(['p']);
    expect(paths()).toEqual([
      'GET /api/nodes?context=ctx',
      'GET /api/secrets?context=ctx&namespace=ns',
      'GET /api/configmaps?context=ctx&namespace=ns',
      'GET /api/service-accounts/check?context=ctx&namespace=ns&name=flink&ha=true',
      'GET /api/presets?context=ctx&namespace=ns',
    ]);
  });

  it('secrets, configMaps, presets and serviceAccount ask nothing while the namespace (or account name) is not a name yet', async () => {
    routes['GET /api/secrets'] = () => ({ status: 200, body: { items: [] } });
    routes['GET /api/configmaps'] = () => ({ status: 200, body: { items: [] } });
    routes['GET /api/presets'] = () => ({ status: 200, body: { items: [] } });
    routes['GET /api/service-accounts/check'] = () => ({ status: 200, body: { ok: true } });
    const { result, rerender } = renderHook(
      (p: { ns: string; sa: string }) => [
        useQuery(createClusterQueries.secrets('ctx', p.ns)),
        useQuery(createClusterQueries.configMaps('ctx', p.ns)),
        useQuery(createClusterQueries.presets('ctx', p.ns)),
        useQuery(createClusterQueries.serviceAccount('ctx', p.ns, p.sa, false)),
      ],
      { wrapper, initialProps: { ns: '', sa: 'flink' } },
    );
    for (const ns of ['', 'Team_A', 'team-', 'x'.repeat(64)]) {
      rerender({ ns, sa: 'flink' });
      expect(result.current.map((q) => q.fetchStatus)).toEqual(['idle', 'idle', 'idle', 'idle']);
    }
    rerender({ ns: 'team-a', sa: ' ' });
    await waitFor(() => expect(result.current.slice(0, 3).every((q) => q.isSuccess)).toBe(true));
    expect(result.current[3].fetchStatus).toBe('idle');
    rerender({ ns: 'team-a', sa: 'flink' });
    await waitFor(() => expect(result.current[3].isSuccess).toBe(true));
    expect(paths()).toEqual([
      'GET /api/secrets?context=ctx&namespace=team-a',
      'GET /api/configmaps?context=ctx&namespace=team-a',
      'GET /api/presets?context=ctx&namespace=team-a',
      'GET /api/service-accounts/check?context=ctx&namespace=team-a&name=flink&ha=false',
    ]);
  });
});

describe('mutations', () => {
  /** Observed queries, as on the page: invalidation refetches them. */
  function usePage() {
    return {
      listA: useQuery(clusterQueries.list({ context: 'ctx', namespace: 'team-a' })),
      listB: useQuery(clusterQueries.list({ context: 'other', namespace: '_all' })),
      presetsA: useQuery(createClusterQueries.presets('ctx', 'team-a')),
      presetsB: useQuery(createClusterQueries.presets('ctx', 'team-b')),
      create: useCreateCluster('ctx'),
      save: useSavePreset('ctx'),
      remove: useDeletePreset('ctx'),
    };
  }
  const count = (path: string) => server.requests.filter((r) => r.method === 'GET' && r.path.startsWith(path)).length;

  beforeEach(() => {
    routes['GET /api/clusters'] = () => ({ status: 200, body: { items: [] } });
    routes['GET /api/presets'] = () => ({ status: 200, body: { items: [] } });
  });

  async function page() {
    const hook = renderHook(usePage, { wrapper });
    await waitFor(() => expect(Object.values(hook.result.current).every((q) => !('isSuccess' in q && 'refetch' in q) || q.isSuccess)).toBe(true));
    return hook;
  }

  it('create: POSTs the spec to /api/clusters?context= and refetches every cluster list, not the presets', async () => {
    const { result } = await page();
    routes['POST /api/clusters'] = (body) => ({ status: 201, body: { created: JSON.parse(body) } });
    const lists = count('/api/clusters?');
    const presets = count('/api/presets?');
    const spec = { clusterId: 'c1', namespace: 'team-a', haLeftovers: 'purge' as const } as ClusterSpecInput & { haLeftovers: 'purge' };
    await act(() => result.current.create.mutateAsync(spec));
    await waitFor(() => expect(result.current.create.data).toEqual({ created: spec }));
    expect(server.requests.find((r) => r.method === 'POST')).toMatchObject({ path: '/api/clusters?context=ctx', body: JSON.stringify(spec) });
    expect(count('/api/clusters?')).toBe(lists + 2);
    expect(count('/api/presets?')).toBe(presets);
  });

  it('create refused: the error with its details, and nothing refetched', async () => {
    const { result } = await page();
    routes['POST /api/clusters'] = () => ({
      status: 409,
      body: { error: { code: 'conflict', message: 'HA data of an earlier cluster "c1" is left.', details: { haLeftovers: ['c1-cluster-config-map'] } } },
    });
    const before = server.requests.length;
    await act(() => result.current.create.mutateAsync({ clusterId: 'c1', namespace: 'team-a' } as ClusterSpecInput).catch(() => undefined));
    await waitFor(() => expect(result.current.create.isError).toBe(true));
    expect(result.current.create.error).toMatchObject({ code: 'conflict', status: 409, details: { haLeftovers: ['c1-cluster-config-map'] } });
    expect(server.requests.length).toBe(before + 1);
  });

  it('save and delete a preset: refetch the presets of that namespace only', async () => {
    const { result } = await page();
    routes['POST /api/presets'] = (body) => ({ status: 201, body: JSON.parse(body) });
    routes['DELETE /api/presets/team-a/small'] = () => ({ status: 204 });
    const a = () => count('/api/presets?context=ctx&namespace=team-a');
    const b = () => count('/api/presets?context=ctx&namespace=team-b');
    const lists = count('/api/clusters?');
    const [a0, b0] = [a(), b()];
    await act(() => result.current.save.mutateAsync({ namespace: 'team-a', name: 'small', spec: {} as never }));
    expect(server.requests.find((r) => r.method === 'POST')).toMatchObject({
      path: '/api/presets?context=ctx',
      body: JSON.stringify({ namespace: 'team-a', name: 'small', spec: {} }),
    });
    expect([a(), b()]).toEqual([a0 + 1, b0]);
    await act(() => result.current.remove.mutateAsync({ namespace: 'team-a', name: 'small' }));
    await waitFor(() => expect(result.current.remove.isSuccess).toBe(true));
    expect(server.requests.find((r) => r.method === 'DELETE')?.path).toBe('/api/presets/team-a/small?context=ctx');
    expect([a(), b()]).toEqual([a0 + 2, b0]);
    expect(count('/api/clusters?')).toBe(lists);
  });
});
