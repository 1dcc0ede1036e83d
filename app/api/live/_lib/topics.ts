import 'server-only';
import { ApiError } from '@/lib/api/api-error';
import { subscribeClusterList } from '@/lib/k8s/flink-clusters';
import { subscribeTimeline } from '@/lib/k8s/ha-timeline-recorder';
import { getConnection } from '@/lib/k8s/kubeconfig';
import { resolveScope } from '@/lib/k8s/scope';
import { subscribeSources, type WatchSource } from '@/lib/k8s/watch-response';
import type { LiveFeed, TopicResolver } from '@/lib/live/server/multiplex';
import type { Keyed } from '@/lib/live/watch-events';
import { toClusterSources } from '../../clusters/[namespace]/[id]/_lib/cluster-informers';
import { toHaHealthSources } from '../../ha-health/ha-health-sources';
import { subscribeJobFeed } from '@/lib/jobs/job-stream';
import { JOB_ID } from '@/lib/jobs/job-views';
import { parseClusterParams } from '../../clusters/[namespace]/[id]/_lib/cluster-params';
import { podLogQuerySchema, podNameSchema } from '@/lib/k8s/pod-logs';
import { followPodLog } from '@/lib/k8s/pod-logs-follow';

/**
 * A topic is the URL of the stream it stands for (the per-stream route, which still answers on its
 * own): `/api/watch/clusters?context=&namespace=`, `/api/clusters/:ns/:id/watch?context=`, `/api/ha-health/watch?context=&namespace=`, `/api/clusters/:ns/:id/jobs/watch?context=&job=`,
 * `/api/clusters/:ns/:id/pods/:pod/log?context=&container=&tailLines=&previous=` (a followed log: see followPodLog).
 * A new kind of live view joins by adding its pattern here.
 */
type TopicRoute = { path: RegExp; feed: (match: RegExpExecArray, query: URLSearchParams) => Promise<LiveFeed> | LiveFeed };

function informerFeed(sources: readonly WatchSource<Keyed>[]): LiveFeed {
  return (emit) => subscribeSources(sources, emit);
}

const routes: TopicRoute[] = [
  {
    path: /^\/api\/watch\/clusters$/,
    feed: (_m, query) => (emit) => subscribeClusterList(resolveScope(query), emit),
  },
  {
    path: /^\/api\/ha-health\/watch$/,
    feed: (_m, query) => informerFeed(toHaHealthSources(resolveScope(query))),
  },
  {
    path: /^\/api\/clusters\/([^/]+)\/([^/]+)\/jobs\/watch$/,
    feed: async (m, query) => {
      const { namespace, id } = await parseClusterParams({
        params: Promise.resolve({ namespace: decodeURIComponent(m[1]), id: decodeURIComponent(m[2]) }),
      });
      const job = query.get('job') ?? undefined;
      if (job !== undefined && !JOB_ID.test(job)) throw new ApiError('invalid_input', 'A job id is 32 hexadecimal digits.');
      const ref = { conn: getConnection(resolveScope(query).context), namespace, clusterId: id };
      return (emit) => subscribeJobFeed(ref, job?.toLowerCase(), emit);
    },
  },
  {
    // The failover timeline (components/ha): its Events, and the recorder held while it is open.
    path: /^\/api\/clusters\/([^/]+)\/([^/]+)\/ha-timeline\/watch$/,
    feed: async (m, query) => {
      const { namespace, id } = await parseClusterParams({
        params: Promise.resolve({ namespace: decodeURIComponent(m[1]), id: decodeURIComponent(m[2]) }),
      });
      const conn = getConnection(resolveScope(query).context);
      return (emit) => subscribeTimeline(conn, namespace, id, emit);
    },
  },
  {
    // A pod's log, followed (or a previous container's, read to its end) in batches of lines.
    path: /^\/api\/clusters\/([^/]+)\/([^/]+)\/pods\/([^/]+)\/log$/,
    feed: async (m, query) => {
      const { namespace, id } = await parseClusterParams({
        params: Promise.resolve({ namespace: decodeURIComponent(m[1]), id: decodeURIComponent(m[2]) }),
      });
      const pod = podNameSchema.parse(decodeURIComponent(m[3]));
      const { container, tailLines, previous } = podLogQuerySchema.parse({
        container: query.get('container') || undefined,
        tailLines: query.get('tailLines') || undefined,
        previous: query.get('previous') ?? undefined,
      });
      const conn = getConnection(resolveScope(query).context);
      return async (emit, flow) => {
        const opened = await followPodLog(conn, { namespace, clusterId: id, pod }, { container, tailLines, previous }, (read) => {
          emit({ type: 'status', state: 'live' });
          return {
            batch: (b) => emit({ type: 'log', container: read, ...b }),
            end: () => emit({ type: 'log-end', container: read }),
            congested: () => flow.congested(),
          };
        });
        return opened.stop;
      };
    },
  },
  {
    path: /^\/api\/clusters\/([^/]+)\/([^/]+)\/watch$/,
    feed: async (m, query) => {
      const { namespace, id } = await parseClusterParams({
        params: Promise.resolve({ namespace: decodeURIComponent(m[1]), id: decodeURIComponent(m[2]) }),
      });
      const scope = resolveScope(query);
      return informerFeed(toClusterSources(getConnection(scope.context), namespace, id));
    },
  },
];

export const resolveTopic: TopicResolver = (topic) => async (emit, flow) => {
  const url = new URL(topic, 'http://topic.invalid');
  for (const route of routes) {
    const match = route.path.exec(url.pathname);
    if (match) return (await route.feed(match, url.searchParams))(emit, flow);
  }
  throw new ApiError('bad_request', `"${url.pathname}" is not a live view the dashboard knows.`);
};
