import { z } from 'zod';
import { withRoute } from '@/lib/api/with-route';
import { createLiveResponse } from '@/lib/live/server/multiplex';
import { resolveTopic } from './_lib/topics';

export const dynamic = 'force-dynamic';

const MAX_TOPICS = 500;

const topicsSchema = z
  .array(
    z
      .string()
      .max(2000, 'a topic is at most 2000 characters')
      .regex(/^\/api\//, 'a topic is the path of a live view, starting with /api/'),
  )
  .min(1, 'name at least one topic (?topic=/api/watch/clusters?namespace=…)')
  .max(MAX_TOPICS, `at most ${MAX_TOPICS} topics per stream`);

/**
 * GET /api/live?topic=…&topic=… → one text/event-stream carrying every topic (lib/live/README.md).
 * The browser's SharedWorker holds the one stream of all its tabs.
 */
export const GET = withRoute(async (request: Request) => {
  const topics = topicsSchema.parse(new URL(request.url).searchParams.getAll('topic'));
  return createLiveResponse(request, topics, resolveTopic);
});
