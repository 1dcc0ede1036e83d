import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { AuthConfigError, readAuthConfig } from '@/lib/auth/config';
import { safeNext } from '@/lib/auth/session';
import { LoginForm } from '@/components/auth/login-form';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(typeof params.next === 'string' ? params.next : undefined);
  const error = typeof params.error === 'string' ? params.error.slice(0, 500) : undefined;
  let mode: 'token' | 'oidc' | undefined;
  let providerName: string | undefined;
  let problem: string | undefined;
  try {
    const config = readAuthConfig();
    if (config.mode === 'none') redirect(next);
    mode = config.mode;
    providerName = config.mode === 'oidc' ? config.oidc.providerName : undefined;
  } catch (err) {
    if (!(err instanceof AuthConfigError)) throw err;
    problem = `The dashboard's sign-in is misconfigured: ${err.message}`;
  }
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 py-12">
      <div className="w-full max-w-sm rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
        <h1 className="text-lg font-semibold text-slate-900">Sign in to Flink Native Dashboard</h1>
        <LoginForm mode={mode} providerName={providerName} next={next} problem={problem} error={error} />
      </div>
    </main>
  );
}
