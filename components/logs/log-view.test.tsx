// @vitest-environment happy-dom
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, waitFor } from '@testing-library/react';
import { startLocalServer, type LocalServer } from '@/lib/queries/testing/local-server';
import { DEFAULT_LOG_CAPACITY } from './log-buffer';
import { LogLines } from './log-lines';
import { usePodLog } from './use-pod-log';

// The browser side of the log view in a DOM (happy-dom), reading from a real local HTTP server that
// answers as the dashboard's log route does: a long log in chunks, or a refusal in the error shape.
let server: LocalServer;
const TOTAL = 100_000;

beforeAll(async () => {
  server = await startLocalServer();
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.url}/clusters`);
});
afterEach(() => cleanup());
afterAll(async () => {
  await server?.close();
});

function Harness({ url }: { url: string }) {
  const { buffer, state, version } = usePodLog(url, 0);
  const all = Array.from({ length: buffer.size }, (_, i) => i);
  return (
    <div>
      <p data-testid="state">{state.status === 'error' ? `error: ${state.message}` : state.status}</p>
      <p data-testid="counts">
        {buffer.size} kept, {buffer.dropped} dropped
      </p>
      <LogLines buffer={buffer} indices={all} version={version} query="" label="Log" />
    </div>
  );
}

describe('the log view', () => {
  it(`reads a log of ${TOTAL.toLocaleString('en')} lines, keeps the last ${DEFAULT_LOG_CAPACITY.toLocaleString('en')} and puts only a window of rows in the DOM`, async () => {
    server.handle(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'x-log-container': 'flink-main-container' });
      for (let from = 1; from <= TOTAL; from += 1000) {
        let chunk = '';
        for (let i = from; i < from + 1000; i++) chunk += `2026-12-05 01:00:00,000 INFO  org.apache.flink.Example [] - line ${i}\n`;
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
      }
      res.end();
    });
    const view = render(<Harness url="/api/log" />);
    await waitFor(() => expect(view.getByTestId('state').textContent).toBe('ended'), { timeout: 30_000 });
    await waitFor(() => expect(view.getByTestId('counts').textContent).toBe(`${DEFAULT_LOG_CAPACITY} kept, ${TOTAL - DEFAULT_LOG_CAPACITY} dropped`));
    const rows = view.container.querySelectorAll('[data-log-line]');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(100);
    // The spacer holds the height of every kept line, so the scrollbar is right.
    const spacer = view.getByRole('log').firstElementChild as HTMLElement;
    expect(spacer.style.height).toBe(`${DEFAULT_LOG_CAPACITY * 20}px`);
  }, 60_000);

  it('shows the route’s refusal in its own words', async () => {
    server.handle((_req, res) => {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'conflict', message: 'Container flink-main-container of pod x has not started yet (ContainerCreating), so it has no log.' } }));
    });
    const view = render(<Harness url="/api/log-refused" />);
    await waitFor(() =>
      expect(view.getByTestId('state').textContent).toBe('error: Container flink-main-container of pod x has not started yet (ContainerCreating), so it has no log.'),
    );
  });
});
