import { describe, expect, it } from 'vitest';
import { formatAge, nextAgeChange } from './format-age';

const t0 = '2026-11-29T10:00:00Z';
const at = (seconds: number) => Date.parse(t0) + seconds * 1000;
const m = 60;
const h = 60 * m;
const d = 24 * h;
const y = 365 * d;

describe('formatAge (kubectl duration.HumanDuration)', () => {
  it.each([
    [0, '0s'],
    [1, '1s'],
    [119, '119s'],
    [120, '2m'],
    [150, '2m30s'],
    [9 * m + 59, '9m59s'],
    [10 * m, '10m'],
    [7199, '119m'],
    [3 * h - 1, '179m'],
    [3 * h, '3h'],
    [3 * h + 20 * m, '3h20m'],
    [8 * h, '8h'],
    [47 * h, '47h'],
    [48 * h, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [8 * d, '8d'],
    [2 * y - d, '729d'],
    [2 * y + 100 * d, '2y100d'],
    [9 * y, '9y'],
  ])('%i seconds → %s', (seconds, text) => {
    expect(formatAge(t0, at(seconds))).toBe(text);
  });
  it('never goes negative and shows a dash for a bad time', () => {
    expect(formatAge(t0, at(-5))).toBe('0s');
    expect(formatAge('', at(0))).toBe('—');
  });
});

describe('nextAgeChange', () => {
  it('is exactly when the text changes: the same text just before, another text at that moment', () => {
    const ages = [-3, 0, 0.4, 1, 59.5, 119, 150.2, 599.9, 600, 601, 3 * h + 7, 8 * h - 1, 8 * h + 30, 47 * h, 3 * d + 5, 8 * d + 1, 2 * y + 3, 8 * y + 1];
    for (const age of ages) {
      const now = at(age);
      const next = nextAgeChange(t0, now);
      expect(next, `age ${age}s`).toBeGreaterThan(now);
      expect(formatAge(t0, next - 1), `age ${age}s, 1 ms before the change`).toBe(formatAge(t0, now));
      expect(formatAge(t0, next), `age ${age}s, at the change`).not.toBe(formatAge(t0, now));
    }
  });
  it('ticks each second while young, then each minute, hour and day', () => {
    expect(nextAgeChange(t0, at(30.25))).toBe(at(31));
    expect(nextAgeChange(t0, at(5 * m + 1))).toBe(at(5 * m + 2));
    expect(nextAgeChange(t0, at(20 * m + 1))).toBe(at(21 * m));
    expect(nextAgeChange(t0, at(10 * h + 1))).toBe(at(11 * h));
    expect(nextAgeChange(t0, at(30 * d + 1))).toBe(at(31 * d));
  });
  it('never for a bad time', () => {
    expect(nextAgeChange('not a time', at(0))).toBe(Infinity);
  });
});
