import { Skeleton } from '@/components/ui/skeleton';

export default function Loading() {
  return (
    <div aria-busy="true" aria-label="Loading">
      <div className="flex gap-6 border-b border-slate-200 bg-white px-6 py-3">
        <Skeleton className="h-8 w-48" />
        <Skeleton className="h-8 w-48" />
      </div>
      <div className="mx-auto max-w-6xl space-y-3 px-6 py-8">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-40 w-full" />
      </div>
    </div>
  );
}
