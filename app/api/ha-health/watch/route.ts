import { withRoute } from '@/lib/api/with-route';
import { resolveScope } from '@/lib/k8s/scope';
import { createMultiWatchResponse } from '@/lib/k8s/watch-response';
import { toHaHealthSources } from '../ha-health-sources';

export const dynamic = 'force-dynamic';

/** GET /api/ha-health/watch?context=&namespace= → text/event-stream keeping /api/ha-health current. */
export const GET = withRoute(async (request: Request) => {
  const scope = resolveScope(new URL(request.url).searchParams);
  return createMultiWatchResponse(request, toHaHealthSources(scope));
});
