import { withRoute } from '@/lib/api/with-route';
import { countInformers } from '@/lib/k8s/informer-registry';
import { podLogStats } from '@/lib/k8s/pod-logs-follow';
import { liveStats } from '@/lib/live/server/multiplex';

export const dynamic = 'force-dynamic';

/** GET /api/live/stats → { streams, subscriptions, informers, logs }: counts only, for tests and diagnostics. */
export const GET = withRoute(async () => Response.json({ ...liveStats(), informers: countInformers(), logs: podLogStats() }));
