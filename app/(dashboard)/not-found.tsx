import Link from 'next/link';

export default function DashboardNotFound() {
  return (
    <main className="mx-auto w-full max-w-3xl px-6 py-16 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600">This cluster or page does not exist (any more).</p>
      <Link href="/clusters" className="mt-4 inline-block text-sm font-medium text-brand-700 underline underline-offset-4">
        Back to clusters
      </Link>
    </main>
  );
}
