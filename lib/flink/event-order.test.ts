import { describe, expect, it } from 'vitest';
import { compareEventsNewestFirst, toEventDto, type EventDto } from './cluster-detail-objects';

// Events as the API server returns them in the core/v1 view: legacy recorders (kubelet, controllers)
// set lastTimestamp in whole seconds; the events.k8s.io recorder (the scheduler) sets a MicroTime
// eventTime and, when repeated, series.lastObservedTime. resourceVersion is the write order.
function legacy(name: string, rv: string, lastTimestamp: string | null, reason = name) {
  return toEventDto({
    metadata: { name: `orders-abc.${name}`, namespace: 'team-a', resourceVersion: rv, creationTimestamp: '2026-01-01T00:00:00Z' },
    involvedObject: { kind: 'Pod', name: 'orders-6b9f7c-abcde' },
    reason,
    message: reason,
    type: 'Normal',
    count: 1,
    firstTimestamp: lastTimestamp,
    lastTimestamp,
    eventTime: null,
  });
}
function micro(name: string, rv: string, eventTime: string, series?: { count: number; lastObservedTime: string }) {
  return toEventDto({
    metadata: { name: `orders-abc.${name}`, namespace: 'team-a', resourceVersion: rv, creationTimestamp: '2026-01-01T00:00:00Z' },
    involvedObject: { kind: 'Pod', name: 'orders-6b9f7c-abcde' },
    reason: name,
    message: name,
    type: 'Normal',
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime,
    ...(series ? { series } : {}),
  });
}

const sortNames = (events: EventDto[]) => [...events].sort(compareEventsNewestFirst).map((e) => e.reason);

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('compareEventsNewestFirst', () => {
  it('orders events of the same second by resourceVersion as a number (9 is older than 10)', () => {
    const events = [
      legacy('Pulling', '9', '2026-01-01T10:00:05Z'),
      legacy('Pulled', '10', '2026-01-01T10:00:05Z'),
      legacy('Created', '11', '2026-01-01T10:00:05Z'),
      legacy('Started', '102', '2026-01-01T10:00:05Z'),
    ];
    expect(sortNames(events)).toEqual(['Started', 'Created', 'Pulled', 'Pulling']);
  });

  it('gives the same order whatever order the events arrive in', () => {
    const events = [
      micro('Scheduled', '98', '2026-01-01T10:00:04.981234Z'),
      legacy('SuccessfulCreate', '97', '2026-01-01T10:00:04Z'),
      legacy('Pulling', '99', '2026-01-01T10:00:05Z'),
      legacy('Pulled', '100', '2026-01-01T10:00:05Z'),
      legacy('Created', '101', '2026-01-01T10:00:05Z'),
    ];
    const expected = ['Created', 'Pulled', 'Pulling', 'Scheduled', 'SuccessfulCreate'];
    for (const order of permutations(events)) expect(sortNames(order)).toEqual(expected);
  });

  it('puts a later second first even against a higher resourceVersion', () => {
    const events = [legacy('Later', '5', '2026-01-01T10:00:06Z'), micro('Earlier', '9', '2026-01-01T10:00:05.999999Z')];
    expect(sortNames(events)).toEqual(['Later', 'Earlier']);
  });

  it('orders a MicroTime event and a whole-second one of the same second by their writes', () => {
    // The MicroTime says .9 s, but the whole-second event may have happened after it: the API
    // server's write order says which did.
    const events = [micro('Scheduled', '40', '2026-01-01T10:00:05.900000Z'), legacy('Pulling', '41', '2026-01-01T10:00:05Z')];
    expect(sortNames(events)).toEqual(['Pulling', 'Scheduled']);
    const reversed = [micro('Scheduled', '41', '2026-01-01T10:00:05.100000Z'), legacy('Pulling', '40', '2026-01-01T10:00:05Z')];
    expect(sortNames(reversed)).toEqual(['Scheduled', 'Pulling']);
  });

  it('uses the microseconds when resourceVersions are not numbers, then the key', () => {
    const events = [
      micro('B', 'x', '2026-01-01T10:00:05.000100Z'),
      micro('C', 'y', '2026-01-01T10:00:05.000020Z'),
      micro('A', 'z', '2026-01-01T10:00:05.100Z'),
      micro('D', 'w', '2026-01-01T10:00:05.000020Z'),
    ];
    for (const order of permutations(events)) expect(sortNames(order)).toEqual(['A', 'B', 'C', 'D']);
  });

  it("sorts a repeated events.k8s.io event by its series' last observation, with the series count", () => {
    const repeated = micro('FailedScheduling', '50', '2026-01-01T10:00:01.000000Z', { count: 4, lastObservedTime: '2026-01-01T10:00:09.500000Z' });
    expect(repeated.lastSeen).toBe('2026-01-01T10:00:09.500000Z');
    expect(repeated.count).toBe(4);
    expect(sortNames([legacy('Pulling', '60', '2026-01-01T10:00:08Z'), repeated])).toEqual(['FailedScheduling', 'Pulling']);
  });

  it('puts events without any time last', () => {
    const noTime = toEventDto({ metadata: { name: 'x.1', namespace: 'team-a', resourceVersion: '999' }, reason: 'NoTime' });
    expect(sortNames([noTime, legacy('Old', '1', '2020-01-01T00:00:00Z')])).toEqual(['Old', 'NoTime']);
  });
});
