'use client';

import { useEffect } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';

export default function DashboardError({ error, retry }: { error: Error & { digest?: string }; retry: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <main className="mx-auto w-full max-w-3xl px-6 py-10">
      <Alert title="This page could not be shown" action={<Button onClick={() => retry()}>Try again</Button>}>
        Something went wrong on the server{error.digest ? ` (reference ${error.digest})` : ''}. The server log has the details.
      </Alert>
    </main>
  );
}
