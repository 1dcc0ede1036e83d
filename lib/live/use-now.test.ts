import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatAge } from './format-age';
import { watchAge, watcherCount } from './use-now';

// The shared clock behind <Age>: it wakes a watcher exactly when its text changes, with one timer.
const start = Date.parse('2026-11-29T10:00:00Z');

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(start);
});
afterEach(() => {
  expect(watcherCount()).toBe(0);
  vi.useRealTimers();
});

/** Watches an age and records the text at each wake. */
function record(since: string) {
  const texts: string[] = [];
  const stop = watchAge(since, () => texts.push(formatAge(since, Date.now())));
  return { texts, stop };
}

describe('watchAge', () => {
  it('wakes each second while young: every text from 1s to 9m59s, each once', () => {
    vi.setSystemTime(start + 250);
    const { texts, stop } = record(new Date(start).toISOString());
    vi.advanceTimersByTime(10 * 60_000 - 250 - 1);
    stop();
    expect(texts).toHaveLength(599);
    expect(texts.slice(0, 3)).toEqual(['1s', '2s', '3s']);
    expect(texts.slice(118, 122)).toEqual(['119s', '2m', '2m1s', '2m2s']);
    expect(texts.at(-1)).toBe('9m59s');
    expect(new Set(texts).size).toBe(texts.length);
  });

  it('wakes once a minute for an age of minutes and once an hour for an age of hours', () => {
    const minutesOld = record(new Date(start - 20 * 60_000).toISOString());
    const hoursOld = record(new Date(start - 10 * 3_600_000).toISOString());
    vi.advanceTimersByTime(2 * 3_600_000);
    minutesOld.stop();
    hoursOld.stop();
    expect(minutesOld.texts.slice(0, 2)).toEqual(['21m', '22m']);
    expect(minutesOld.texts).toHaveLength(120);
    expect(hoursOld.texts).toEqual(['11h', '12h']);
  });

  it('keeps one timer for every age on the page', () => {
    const watches = Array.from({ length: 50 }, (_, i) => record(new Date(start - i * 1000).toISOString()));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(5000);
    expect(vi.getTimerCount()).toBe(1);
    for (const w of watches) expect(w.texts).toHaveLength(5);
    for (const w of watches) w.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits in steps of a day at most for ages of years (setTimeout cannot wait longer)', () => {
    const old = record(new Date(start - 9 * 365 * 86_400_000).toISOString());
    vi.advanceTimersByTime(86_400_000);
    expect(vi.getTimerCount()).toBe(1);
    expect(old.texts).toEqual([]);
    old.stop();
  });
});
