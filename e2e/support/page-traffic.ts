import type { Page } from '@playwright/test';

export type ReceivedText = { url: string; text: string };

/**
 * Records the text of everything the page receives from the app: the body of every response of its
 * own origin (documents, RSC payloads, /api JSON) except the static bundles, and every message of
 * its EventSource streams (read through Chromium's DevTools protocol, since a stream's body never
 * ends). `received()` waits for the bodies still being read.
 */
export async function recordPageTraffic(page: Page, origin: string) {
  const pending: Promise<void>[] = [];
  const texts: ReceivedText[] = [];
  page.on('response', (response) => {
    const url = response.url();
    if (!url.startsWith(origin) || new URL(url).pathname.startsWith('/_next/static/')) return;
    if ((response.headers()['content-type'] ?? '').includes('text/event-stream')) return;
    pending.push(
      response.text().then(
        (text) => void texts.push({ url, text }),
        // A body the browser dropped (a navigation away while it loaded) was never shown.
        () => undefined,
      ),
    );
  });
  const cdp = await page.context().newCDPSession(page);
  const urls = new Map<string, string>();
  cdp.on('Network.requestWillBeSent', (event) => void urls.set(event.requestId, event.request.url));
  cdp.on('Network.eventSourceMessageReceived', (message) => {
    texts.push({ url: `${urls.get(message.requestId) ?? 'EventSource'} (${message.eventName})`, text: message.data });
  });
  await cdp.send('Network.enable');
  return {
    async received(): Promise<ReceivedText[]> {
      await Promise.all(pending);
      return [...texts];
    },
  };
}
