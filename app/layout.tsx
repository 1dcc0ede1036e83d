import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { Providers } from './providers';
import './globals.css';

// Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts).
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Flink Native Dashboard', template: '%s · Flink Native Dashboard' },
  description: 'Run Apache Flink on native Kubernetes: clusters, pods, logs and high availability, live.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
