import { describe, expect, it } from 'vitest';
import { formatAge } from './format-age';

describe('formatAge', () => {
  const t0 = '2026-11-29T10:00:00Z';
  const at = (seconds: number) => Date.parse(t0) + seconds * 1000;
  it.each([
    [0, '0s'],
    [119, '119s'],
    [120, '2m'],
    [7199, '119m'],
    [7200, '2h'],
    [47 * 3600, '47h'],
    [48 * 3600, '2d'],
  ])('%i seconds → %s', (seconds, text) => {
    expect(formatAge(t0, at(seconds))).toBe(text);
  });
  it('never goes negative and shows a dash for a bad time', () => {
    expect(formatAge(t0, at(-5))).toBe('0s');
    expect(formatAge('', at(0))).toBe('—');
  });
});
