import { describe, expect, it } from 'vitest';
import { expectedSizeCapacity, incrementalCapacity, javaStringHashCode, orderLikeJavaHashMap, presizedCapacity } from './java-hash-map';

describe('javaStringHashCode', () => {
  it('matches java.lang.String#hashCode', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
    // overflows wrap to negative ints
    expect(javaStringHashCode('kubernetes.cluster-id')).toBe(javaStringHashCode('kubernetes.cluster-id') | 0);
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
  });
});

describe('HashMap capacities', () => {
  it('grows a default map past 0.75 load', () => {
    expect(incrementalCapacity(12)).toBe(16);
    expect(incrementalCapacity(13)).toBe(32);
    expect(incrementalCapacity(25)).toBe(64);
  });
  it('pre-sizes putAll copies and expected-size maps', () => {
    expect(presizedCapacity(12)).toBe(32); // (int)(12 / 0.75f + 1) = 17
    expect(presizedCapacity(30)).toBe(64);
    expect(expectedSizeCapacity(12)).toBe(16);
    expect(expectedSizeCapacity(13)).toBe(32);
  });
});

describe('orderLikeJavaHashMap', () => {
  it('orders by bucket, keeping insertion order within a bucket', () => {
    // "Aa" and "BB" share a hash, so they share a bucket in insertion order.
    expect(orderLikeJavaHashMap(['BB', 'Aa'])).toEqual(['BB', 'Aa']);
    expect(orderLikeJavaHashMap(['Aa', 'BB'])).toEqual(['Aa', 'BB']);
    // bucket = (h ^ h >>> 16) & 15: "a" -> 1, "b" -> 2, "c" -> 3
    expect(orderLikeJavaHashMap(['c', 'a', 'b'])).toEqual(['a', 'b', 'c']);
  });
});
