/** Next calls register() once per server process at start-up. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { installShutdownHandlers } = await import('./lib/graceful-shutdown');
  installShutdownHandlers();
}
