// Flink configuration as the JobManager/TaskManager processes read it: the mounted conf file
// (config.yaml, standard YAML, or the legacy flat flink-conf.yaml on 1.19/1.20) plus `-D` dynamic
// properties from the command line (GlobalConfiguration + ConfigurationUtils + YamlParserUtils).
import { parse as parseYaml } from 'yaml';
import { versionAtLeast } from './images';

/** Flat key -> value. Values of standard YAML keep their structure (lists, maps); legacy values are strings. */
export type FlatConfig = Map<string, unknown>;

export class IllegalConfigurationException extends Error {
  readonly javaClass = 'org.apache.flink.configuration.IllegalConfigurationException';
}

export interface LoadedConfig {
  conf: FlatConfig;
  /** the file name that was loaded: "config.yaml" or "flink-conf.yaml" */
  fileName: string;
  dynamic: Map<string, string>;
}

function flattenInto(out: FlatConfig, prefix: string, value: unknown) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenInto(out, prefix ? `${prefix}.${k}` : k, v);
  } else {
    out.set(prefix, value);
  }
}

/** Standard YAML (config.yaml): nested maps are flattened with '.' (YamlParserUtils / GlobalConfiguration). */
export function parseStandardYaml(text: string, path: string): FlatConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new IllegalConfigurationException(`Error while parsing YAML configuration file: ${path}: ${(e as Error).message.split('\n')[0]}`);
  }
  const out: FlatConfig = new Map();
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new IllegalConfigurationException(`Error while parsing YAML configuration file: ${path}`);
  }
  flattenInto(out, '', doc);
  return out;
}

/** Legacy flink-conf.yaml: one `key: value` per line, '#' starts a comment (GlobalConfiguration.loadYAMLResource). */
export function parseLegacyYaml(text: string): { conf: FlatConfig; warnings: string[] } {
  const conf: FlatConfig = new Map();
  const warnings: string[] = [];
  let lineNo = 0;
  for (const raw of text.split(/\r?\n/)) {
    lineNo++;
    const line = raw.split('#', 2)[0].trim();
    if (!line) continue;
    const kv = line.split(': ', 2);
    if (kv.length === 1) {
      warnings.push(`Error while trying to split key and value in configuration file :${lineNo}: Line is not a key-value pair (missing space after ':'?)`);
      continue;
    }
    const key = kv[0].trim();
    const value = kv[1].trim();
    if (!key || !value) {
      warnings.push(`Error after splitting key and value in configuration file :${lineNo}: Key or value was empty`);
      continue;
    }
    conf.set(key, value);
  }
  return { conf, warnings };
}

/** Tokenizes a `bash -c` command string (simple quoting). */
export function shellSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inTok = false;
  let q: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (q) {
      if (ch === q) q = null;
      else if (ch === '\\' && q === '"' && i + 1 < s.length) cur += s[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      q = ch;
      inTok = true;
    } else if (ch === '\\' && i + 1 < s.length) {
      cur += s[++i];
      inTok = true;
    } else if (/\s/.test(ch)) {
      if (inTok) out.push(cur);
      cur = '';
      inTok = false;
    } else {
      cur += ch;
      inTok = true;
    }
  }
  if (inTok) out.push(cur);
  return out;
}

/** The argv the container runs after the entrypoint: `bash -c "<script> ..."` expanded to words. */
export function containerArgv(command: string[], args: string[]): string[] {
  const all = [...command, ...args];
  const out: string[] = [];
  for (let i = 0; i < all.length; i++) {
    if ((all[i] === 'bash' || all[i] === 'sh' || all[i] === '/bin/bash' || all[i] === '/bin/sh') && all[i + 1] === '-c' && i + 2 < all.length) {
      out.push(...shellSplit(all[i + 2]));
      i += 2;
    } else out.push(all[i]);
  }
  return out;
}

/** `-D key=value` and `-Dkey=value` (ClusterConfigurationParserFactory / DynamicParametersConfigurationParserFactory). */
export function parseDynamicProperties(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    let kv: string | undefined;
    if (argv[i] === '-D' && i + 1 < argv.length) kv = argv[++i];
    else if (argv[i].startsWith('-D') && argv[i].length > 2) kv = argv[i].slice(2);
    if (kv === undefined) continue;
    const eq = kv.indexOf('=');
    if (eq > 0) out.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return out;
}

/**
 * Loads the configuration like GlobalConfiguration.loadConfiguration(confDir, dynamicProperties):
 * 1.19/1.20 look for the legacy flink-conf.yaml first, then config.yaml; 2.x only know config.yaml.
 */
export function loadConfiguration(files: Record<string, string>, confDir: string, flinkVersion: string, dynamic: Map<string, string>): LoadedConfig & { warnings: string[] } {
  const dir = confDir.replace(/\/$/, '');
  const legacyPath = `${dir}/flink-conf.yaml`;
  const stdPath = `${dir}/config.yaml`;
  const legacyAllowed = !versionAtLeast(flinkVersion, '2.0');
  let conf: FlatConfig;
  let fileName: string;
  let warnings: string[] = [];
  if (legacyAllowed && files[legacyPath] !== undefined) {
    const r = parseLegacyYaml(files[legacyPath]);
    conf = r.conf;
    warnings = r.warnings;
    fileName = 'flink-conf.yaml';
  } else if (files[stdPath] !== undefined) {
    conf = parseStandardYaml(files[stdPath], stdPath);
    fileName = 'config.yaml';
  } else {
    throw new IllegalConfigurationException(`The Flink config file '${stdPath}' (${stdPath}) does not exist.`);
  }
  for (const [k, v] of dynamic) conf.set(k, v);
  return { conf, fileName, dynamic, warnings };
}

// ---- typed accessors, with Flink's parsing rules -------------------------------------------------

export class Conf {
  constructor(readonly map: FlatConfig) {}

  has(...keys: string[]): boolean {
    return keys.some((k) => this.map.has(k));
  }
  raw(...keys: string[]): unknown {
    for (const k of keys) if (this.map.has(k)) return this.map.get(k);
    return undefined;
  }
  string(keys: string | string[], def?: string): string | undefined {
    const v = this.raw(...(Array.isArray(keys) ? keys : [keys]));
    if (v === undefined || v === null) return def;
    if (Array.isArray(v)) return v.map(String).join(';');
    if (typeof v === 'object') return Object.entries(v as object).map(([a, b]) => `${a}:${b}`).join(',');
    return String(v);
  }
  int(keys: string | string[], def: number): number {
    const s = this.string(keys);
    if (s === undefined) return def;
    const n = Number(s.trim());
    if (!Number.isInteger(n)) throw new IllegalConfigurationException(`Could not parse value '${s}' for key '${Array.isArray(keys) ? keys[0] : keys}'.`);
    return n;
  }
  double(keys: string | string[], def: number): number {
    const s = this.string(keys);
    if (s === undefined) return def;
    const n = Number(s.trim());
    if (Number.isNaN(n)) throw new IllegalConfigurationException(`Could not parse value '${s}' for key '${Array.isArray(keys) ? keys[0] : keys}'.`);
    return n;
  }
  bool(keys: string | string[], def: boolean): boolean {
    const s = this.string(keys);
    if (s === undefined) return def;
    const t = s.trim().toLowerCase();
    if (t === 'true') return true;
    if (t === 'false') return false;
    throw new IllegalConfigurationException(`Could not parse value '${s}' for key '${Array.isArray(keys) ? keys[0] : keys}'.`);
  }
  /** Duration in ms (TimeUtils.parseDuration: "30 s", "1 min", "500ms", plain number = ms). */
  duration(keys: string | string[], defMs: number): number {
    const s = this.string(keys);
    if (s === undefined) return defMs;
    return parseDuration(s);
  }
  memory(keys: string | string[]): number | undefined {
    const s = this.string(keys);
    if (s === undefined) return undefined;
    return parseMemorySize(s);
  }
  /** Map option: legacy "k1:v1,k2:v2" or a YAML map. */
  stringMap(key: string): Record<string, string> | undefined {
    const v = this.map.get(key);
    if (v === undefined || v === null) {
      // standard YAML flattens nested maps: map options are then read back from "<key>.<sub>" entries
      const prefix = `${key}.`;
      const entries = [...this.map].filter(([k]) => k.startsWith(prefix));
      return entries.length ? Object.fromEntries(entries.map(([k, x]) => [k.slice(prefix.length), String(x)])) : undefined;
    }
    if (typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v as object).map(([a, b]) => [a, String(b)]));
    const out: Record<string, string> = {};
    for (const part of splitEscaped(String(v), ',')) {
      if (!part.trim()) continue;
      const i = part.indexOf(':');
      if (i < 0) throw new IllegalConfigurationException(`Could not parse value '${String(v)}' for key '${key}'.`);
      out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
    }
    return out;
  }
  /** List option: legacy ';'-separated or a YAML list. */
  list(key: string): string[] | undefined {
    const v = this.map.get(key);
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' && x !== null ? JSON.stringify(x) : String(x)));
    return splitEscaped(String(v), ';').map((x) => x.trim()).filter(Boolean);
  }
  /** List-of-maps option: legacy "k:v,k:v;k:v" or a YAML list of maps. */
  mapList(key: string): Record<string, string>[] | undefined {
    const v = this.map.get(key);
    if (v === undefined || v === null) return undefined;
    if (Array.isArray(v)) {
      return v.map((item) => {
        if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item as object).map(([a, b]) => [a, String(b)]));
        return new Conf(new Map([['x', item]])).stringMap('x') ?? {};
      });
    }
    return splitEscaped(String(v), ';')
      .filter((x) => x.trim())
      .map((part) => new Conf(new Map([['x', part]])).stringMap('x') ?? {});
  }
  /** All entries flattened to strings, for REST /jobmanager/config. */
  entries(): [string, string][] {
    return [...this.map.keys()].map((k) => [k, this.string(k) ?? '']);
  }
}

function splitEscaped(s: string, sep: string): string[] {
  // Flink's StructuredOptionsSplitter honours quotes; values here rarely need them.
  const out: string[] = [];
  let cur = '';
  let q: string | null = null;
  for (const ch of s) {
    if (q) {
      if (ch === q) q = null;
      else cur += ch;
    } else if (ch === "'" || ch === '"') q = ch;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

const DURATION_UNITS: [string[], number][] = [
  [['d', 'day', 'days'], 86400000],
  [['h', 'hour', 'hours'], 3600000],
  [['min', 'm', 'minute', 'minutes'], 60000],
  [['s', 'sec', 'secs', 'second', 'seconds'], 1000],
  [['ms', 'milli', 'millis', 'millisecond', 'milliseconds'], 1],
  [['us', 'micro', 'micros', 'microsecond', 'microseconds'], 0.001],
  [['ns', 'nano', 'nanos', 'nanosecond', 'nanoseconds'], 0.000001],
];

export function parseDuration(text: string): number {
  const t = text.trim().toLowerCase();
  const m = /^(\d+)\s*([a-z]*)$/.exec(t);
  if (!m) throw new IllegalConfigurationException(`Could not parse value '${text}' as a duration.`);
  const n = parseInt(m[1], 10);
  if (!m[2]) return n;
  for (const [names, mult] of DURATION_UNITS) if (names.includes(m[2])) return Math.floor(n * mult);
  throw new IllegalConfigurationException(`Time interval unit label '${m[2]}' does not match any of the recognized units: DAYS: (d | day | days), HOURS: (h | hour | hours), MINUTES: (m | min | minute | minutes), SECONDS: (s | sec | secs | second | seconds), MILLISECONDS: (ms | milli | millis | millisecond | milliseconds), MICROSECONDS: (µs | micro | micros | microsecond | microseconds), NANOSECONDS: (ns | nano | nanos | nanosecond | nanoseconds)`);
}

const MEMORY_UNITS: [string[], number][] = [
  [['b', 'bytes'], 1],
  [['k', 'kb', 'kibibytes'], 1024],
  [['m', 'mb', 'mebibytes'], 1024 ** 2],
  [['g', 'gb', 'gibibytes'], 1024 ** 3],
  [['t', 'tb', 'tebibytes'], 1024 ** 4],
];

/** MemorySize.parse: "1728m", "1 gb", "1024" (bytes). */
export function parseMemorySize(text: string): number {
  const t = text.trim().toLowerCase();
  const m = /^(\d+)\s*([a-z]*)$/.exec(t);
  if (!m) throw new IllegalConfigurationException(`Could not parse value '${text}' as a memory size.`);
  const n = parseInt(m[1], 10);
  if (!m[2]) return n;
  for (const [names, mult] of MEMORY_UNITS) if (names.includes(m[2])) return n * mult;
  throw new IllegalConfigurationException(`Memory size unit '${m[2]}' does not match any of the recognized units: (b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / (t | tb | tebibytes)`);
}

/** MemorySize.toHumanReadableString: "192.000mb (201326592 bytes)". */
export function humanMemory(bytes: number): string {
  const units: [string, number][] = [
    ['tb', 1024 ** 4],
    ['gb', 1024 ** 3],
    ['mb', 1024 ** 2],
    ['kb', 1024],
  ];
  for (const [u, mult] of units) if (bytes >= mult) return `${(bytes / mult).toFixed(3)}${u} (${bytes} bytes)`;
  return `${bytes} bytes`;
}

/** High availability on Kubernetes: `high-availability.type` (or the deprecated `high-availability`). */
export function isKubernetesHa(conf: Conf): boolean {
  const v = conf.string(['high-availability.type', 'high-availability']);
  if (!v) return false;
  const t = v.trim();
  return t.toLowerCase() === 'kubernetes' || t === 'org.apache.flink.kubernetes.highavailability.KubernetesHaServicesFactory';
}
