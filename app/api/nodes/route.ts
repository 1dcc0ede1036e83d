import { withRoute } from '@/lib/api/with-route';
import { connectionFor } from '@/lib/api/clusters/connection-for';
import { listNodes } from '@/lib/k8s/clusters/list-nodes';

export const dynamic = 'force-dynamic';

/** GET /api/nodes?context= → { items: [{ name, labels, taints }] } (403 when nodes may not be listed). */
export const GET = withRoute(async (request: Request) => {
  const items = await listNodes(connectionFor(request));
  return Response.json({ items }, { headers: { 'cache-control': 'no-store' } });
});
