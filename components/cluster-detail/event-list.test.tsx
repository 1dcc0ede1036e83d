import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { toEventDto } from '@/lib/flink/cluster-detail-objects';
import { EventList } from './event-list';

// The kubelet's events of one pod start, all in the same second, arriving in another order.
const event = (reason: string, rv: string, time: { lastTimestamp?: string; eventTime?: string }) =>
  toEventDto({
    metadata: { name: `orders-abc.${reason}`, namespace: 'team-a', resourceVersion: rv },
    involvedObject: { kind: 'Pod', name: 'orders-6b9f7c-abcde' },
    reason,
    message: `${reason} message`,
    type: 'Normal',
    lastTimestamp: time.lastTimestamp ?? null,
    eventTime: time.eventTime ?? null,
  });

describe('EventList', () => {
  it('lists events of the same second newest first, in the order the API server wrote them', () => {
    const events = [
      event('Pulled', '1010', { lastTimestamp: '2026-01-01T10:00:05Z' }),
      event('Started', '1012', { lastTimestamp: '2026-01-01T10:00:05Z' }),
      event('Scheduled', '998', { eventTime: '2026-01-01T10:00:05.912345Z' }),
      event('Pulling', '999', { lastTimestamp: '2026-01-01T10:00:05Z' }),
      event('Created', '1011', { lastTimestamp: '2026-01-01T10:00:05Z' }),
    ];
    const html = renderToStaticMarkup(createElement(EventList, { events }));
    const order = [...html.matchAll(/<span class="font-semibold text-slate-900">(\w+)<\/span>/g)].map((m) => m[1]);
    expect(order).toEqual(['Started', 'Created', 'Pulled', 'Pulling', 'Scheduled']);
    // The MicroTime's age counts from its second, like the others in that second.
    expect(html).toContain('dateTime="2026-01-01T10:00:05Z"');
    expect(html).not.toContain('05.912345Z');
  });
});
