import { describe, expect, it } from 'vitest';
import { formatJavaDouble, isQuantity, parseQuantity, toFlinkMemorySize } from './quantity';

describe('quantities', () => {
  it('follows the Kubernetes grammar', () => {
    for (const q of ['1', '0.5', '500m', '1600Mi', '2Gi', '2G', '1e3', '1E-3', '+1', '.5']) expect(isQuantity(q)).toBe(true);
    for (const q of ['', 'one', '1 Gi', '1gi', '1.5.5', 'Mi', '1MB']) expect(isQuantity(q)).toBe(false);
  });
  it('parses values', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5);
    expect(parseQuantity('1600Mi')).toBe(1600 * 2 ** 20);
    expect(parseQuantity('2G')).toBe(2e9);
    expect(parseQuantity('1e3')).toBe(1000);
  });
  it('writes Flink memory sizes with the largest exact binary unit', () => {
    expect(toFlinkMemorySize(1600 * 2 ** 20)).toBe('1600m');
    expect(toFlinkMemorySize(2 * 2 ** 30)).toBe('2g');
    expect(toFlinkMemorySize(2e9)).toBe('1953125k');
    expect(toFlinkMemorySize(1001)).toBe('1001b');
  });
  it('formats doubles like Java Double.toString', () => {
    expect(formatJavaDouble(1)).toBe('1.0');
    expect(formatJavaDouble(0.5)).toBe('0.5');
    expect(formatJavaDouble(0.1 * 3)).toBe('0.30000000000000004');
    expect(formatJavaDouble(1e7)).toBe('1.0E7');
    expect(formatJavaDouble(0.0005)).toBe('5.0E-4');
  });
});
