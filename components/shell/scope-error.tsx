import Link from 'next/link';
import { Alert } from '@/components/ui/alert';

/** When the URL names a context or namespace that cannot be used. */
export function ScopeError({ message }: { message: string }) {
  return (
    <main className="mx-auto w-full max-w-3xl px-6 py-10">
      <Alert
        title="This view cannot be opened"
        action={
          <Link href="/clusters" className="shrink-0 text-sm font-medium underline underline-offset-4">
            Use the default context
          </Link>
        }
      >
        {message}
      </Alert>
    </main>
  );
}
