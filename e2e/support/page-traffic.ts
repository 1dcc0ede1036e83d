import type { Page } from '@playwright/test';

export type ReceivedText = { url: string; text: string };

/**
 * Records the text of everything the page receives from the app: the body of every response of its
 * own origin (documents, RSC payloads, /api JSON) except the static bundles, and every message of
 * its EventSource streams (read through Chromium's DevTools protocol, since a stream's body never
 * ends). The live streams are held by the dashboard's SharedWorker (lib/live/README.md), a target of
 * its own: its EventSource messages are read through a browser-level DevTools session attached to it.
 * `received()` waits for the bodies still being read.
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
  await recordSharedWorkers(page, texts);
  return {
    async received(): Promise<ReceivedText[]> {
      await Promise.all(pending);
      return [...texts];
    },
  };
}

type TargetInfo = { targetId: string; type: string; url: string };

/** Records the EventSource messages of the context's shared workers, those running and those to come. */
async function recordSharedWorkers(page: Page, texts: ReceivedText[]): Promise<void> {
  const browser = page.context().browser();
  if (!browser) throw new Error('recording shared workers needs a browser-level DevTools session');
  const cdp = await browser.newBrowserCDPSession();
  const urls = new Map<string, string>();
  const attached = new Set<string>();
  cdp.on('Target.receivedMessageFromTarget', (event: { message: string }) => {
    const message = JSON.parse(event.message) as { method?: string; params?: Record<string, unknown> };
    const params = message.params as { requestId: string; request?: { url: string }; eventName?: string; data?: string };
    if (message.method === 'Network.requestWillBeSent' && params.request) urls.set(params.requestId, params.request.url);
    if (message.method === 'Network.eventSourceMessageReceived') {
      texts.push({ url: `${urls.get(params.requestId) ?? 'EventSource'} (${params.eventName})`, text: params.data ?? '' });
    }
  });
  const attach = async (target: TargetInfo) => {
    if (target.type !== 'shared_worker' || attached.has(target.targetId)) return;
    attached.add(target.targetId);
    const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false })) as { sessionId: string };
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: 1, method: 'Network.enable' }) });
  };
  cdp.on('Target.targetCreated', (event: { targetInfo: TargetInfo }) => void attach(event.targetInfo).catch(() => undefined));
  await cdp.send('Target.setDiscoverTargets', { discover: true });
  const { targetInfos } = (await cdp.send('Target.getTargets')) as { targetInfos: TargetInfo[] };
  for (const target of targetInfos) await attach(target).catch(() => undefined);
}
