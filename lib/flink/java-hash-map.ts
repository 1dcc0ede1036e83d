// Java's HashMap iteration order, needed because Flink's Configuration keeps its entries in a
// java.util.HashMap and the client writes flink-config-<id> (and env/volume lists built from map
// options) in that map's iteration order. Iteration walks the bucket table in index order and each
// bucket in insertion order (JDK 8-18 HashMap; tree bins of >= 8 colliding keys are ignored).

/** java.lang.String#hashCode over UTF-16 code units, as a signed 32-bit int. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) {
    hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  }
  return hash;
}

function spread(hash: number): number {
  return hash ^ (hash >>> 16);
}

function tableSizeFor(cap: number): number {
  let n = 1;
  while (n < cap) n *= 2;
  return n;
}

/** Table size after `count` puts into `new HashMap<>()` (16, doubling past 0.75 load). */
export function incrementalCapacity(count: number): number {
  let capacity = 16;
  while (count > capacity * 0.75) capacity *= 2;
  return capacity;
}

/**
 * Table size of a map filled by putAll/copy-constructor from a map of `count` entries:
 * HashMap.putMapEntries pre-sizes to tableSizeFor((int)(count / 0.75f + 1)).
 */
export function presizedCapacity(count: number): number {
  if (count === 0) return 16;
  return tableSizeFor(Math.floor(count / 0.75 + 1));
}

/** CollectionUtil.newHashMapWithExpectedSize(n): new HashMap<>((int) Math.ceil(n / 0.75)). */
export function expectedSizeCapacity(count: number): number {
  return tableSizeFor(Math.max(1, Math.ceil(count / 0.75)));
}

/** Orders keys (given in insertion order) the way a HashMap of that capacity iterates them. */
export function orderLikeJavaHashMap<T extends string>(
  keysInInsertionOrder: readonly T[],
  capacity: number = incrementalCapacity(keysInInsertionOrder.length),
): T[] {
  const indexed = keysInInsertionOrder.map((key, position) => ({
    key,
    position,
    bucket: spread(javaStringHashCode(key)) & (capacity - 1),
  }));
  indexed.sort((a, b) => a.bucket - b.bucket || a.position - b.position);
  return indexed.map((entry) => entry.key);
}

/** A Record whose own-key order follows Java HashMap iteration (for map-typed options). */
export function toJavaHashMapOrder(entries: ReadonlyArray<readonly [string, string]>): Record<string, string> {
  const last = new Map<string, string>();
  for (const [k, v] of entries) last.set(k, v);
  const out: Record<string, string> = {};
  for (const key of orderLikeJavaHashMap([...last.keys()])) out[key] = last.get(key) as string;
  return out;
}
