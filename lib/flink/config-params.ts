// Reads the Kubernetes parameters back from the typed configuration, as
// AbstractKubernetesParameters / KubernetesJobManagerParameters do, so that free configuration
// entries (last -D wins) shape the objects exactly like form fields.
import type { FlinkConfigValue } from './flink-config';
import { toJavaHashMapOrder } from './java-hash-map';

type Config = ReadonlyMap<string, FlinkConfigValue>;

export function getString(config: Config, key: string, ...fallbackKeys: string[]): string | undefined {
  for (const k of [key, ...fallbackKeys]) {
    const v = config.get(k);
    if (v !== undefined) return Array.isArray(v) ? v.join(';') : String(v);
  }
  return undefined;
}

/** StructuredOptionsSplitter.splitEscaped: split on `delimiter`, honouring '…' and "…" quoting. */
export function splitEscaped(value: string, delimiter: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let i = 0;
  while (i < value.length) {
    const ch = value[i] as string;
    if (ch === "'" || ch === '"') {
      i++;
      while (i < value.length) {
        if (value[i] === ch) {
          if (value[i + 1] === ch) {
            current += ch;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        current += value[i];
        i++;
      }
      continue;
    }
    if (ch === delimiter) {
      tokens.push(current);
      current = '';
    } else {
      current += ch;
    }
    i++;
  }
  if (current !== '' || tokens.length > 0) tokens.push(current);
  return tokens;
}

/** A map option (`k:v,k2:v2`), keys in Java HashMap order (Collectors.toMap builds a HashMap). */
export function getMap(config: Config, key: string): Record<string, string> {
  const raw = getString(config, key);
  if (raw === undefined || raw.trim() === '') return {};
  const pairs = splitEscaped(raw, ',').map((item) => splitEscaped(item, ':'));
  return toJavaHashMapOrder(pairs.filter((p) => p.length === 2).map((p) => [p[0] as string, p[1] as string] as const));
}

/** A list-of-maps option (`k:v,k:v;k:v`), in list order; each map keyed case-sensitively. */
export function getListOfMaps(config: Config, key: string): Array<Record<string, string>> {
  const raw = getString(config, key);
  if (raw === undefined || raw.trim() === '') return [];
  return splitEscaped(raw, ';').map((entry) => {
    const map: Record<string, string> = {};
    for (const item of splitEscaped(entry, ',')) {
      const pair = splitEscaped(item, ':');
      if (pair.length === 2) map[pair[0] as string] = pair[1] as string;
    }
    return map;
  });
}

export function getList(config: Config, key: string): string[] {
  const v = config.get(key);
  if (v === undefined) return [];
  if (Array.isArray(v)) return [...v];
  return splitEscaped(String(v), ';').filter((s) => s !== '');
}

export function getNumber(config: Config, key: string, defaultValue: number, ...fallbackKeys: string[]): number {
  const raw = getString(config, key, ...fallbackKeys);
  if (raw === undefined) return defaultValue;
  const n = Number(raw.trim());
  return Number.isFinite(n) ? n : defaultValue;
}

/** ConfigurationUtils.getPrefixedKeyValuePairs: `<prefix>NAME` entries, HashMap order. */
export function getPrefixed(config: Config, prefix: string): Array<[string, string]> {
  const entries: Array<readonly [string, string]> = [];
  for (const [k, v] of config) {
    if (k.startsWith(prefix) && k.length > prefix.length) entries.push([k.slice(prefix.length), Array.isArray(v) ? v.join(';') : String(v)]);
  }
  return Object.entries(toJavaHashMapOrder(entries));
}

const MEMORY_UNITS: Record<string, number> = {
  '': 1, b: 1, bytes: 1,
  k: 2 ** 10, kb: 2 ** 10, kibibytes: 2 ** 10,
  m: 2 ** 20, mb: 2 ** 20, mebibytes: 2 ** 20,
  g: 2 ** 30, gb: 2 ** 30, gibibytes: 2 ** 30,
  t: 2 ** 40, tb: 2 ** 40, tebibytes: 2 ** 40,
};

/** MemorySize.parseBytes. */
export function parseFlinkMemory(text: string): number | undefined {
  const match = /^\s*(\d+)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!match) return undefined;
  const factor = MEMORY_UNITS[(match[2] as string).toLowerCase()];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}
