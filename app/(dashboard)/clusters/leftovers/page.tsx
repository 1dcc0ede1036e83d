import type { Metadata } from 'next';
import { HaLeftovers } from '@/components/cluster-delete/ha-leftovers';
import { renderScopedPage, type PageSearchParams } from '@/app/(dashboard)/_lib/scoped-page';

export const metadata: Metadata = { title: 'Leftover HA data' };

export default async function LeftoversPage({ searchParams }: { searchParams: PageSearchParams }) {
  return renderScopedPage(searchParams, (scope) => <HaLeftovers key={`${scope.context}/${scope.namespace}`} scope={scope} />);
}
