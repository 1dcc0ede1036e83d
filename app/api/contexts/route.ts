import { withRoute } from '@/lib/api/with-route';
import { listContexts } from '@/lib/k8s/kubeconfig';

export const dynamic = 'force-dynamic';

/** GET /api/contexts → { items: [{ name, current, namespace?, server? }] } */
export const GET = withRoute(async () => {
  return Response.json({ items: listContexts() }, { headers: { 'cache-control': 'no-store' } });
});
