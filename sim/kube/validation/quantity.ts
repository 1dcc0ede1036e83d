// resource.Quantity parsing (k8s.io/apimachinery/pkg/api/resource/quantity.go), enough to reject what
// the real decoder rejects with the same error, and to compare quantities.

export const ERR_FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const ERR_SUFFIX = "unable to parse quantity's suffix";
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';

export interface ParsedQuantity {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string) => c >= '0' && c <= '9';

function parseQuantityString(str: string): ParsedQuantity | string {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (pos < end) {
    if (str[0] === '-') {
      positive = false;
      pos++;
    } else if (str[0] === '+') pos++;
  }
  // leading zeros
  for (let i = pos; ; i++) {
    if (i >= end) return { positive, num: '0', denom: '', suffix: '' };
    if (str[i] === '0') pos++;
    else break;
  }
  let num = '';
  let i = pos;
  for (; ; i++) {
    if (i >= end) return { positive, num: str.slice(pos, end) || '0', denom: '', suffix: '' };
    if (!isDigit(str[i])) {
      num = str.slice(pos, i);
      pos = i;
      break;
    }
  }
  if (num.length === 0) num = '0';
  let denom = '';
  if (pos < end && str[pos] === '.') {
    pos++;
    for (i = pos; ; i++) {
      if (i >= end) return { positive, num, denom: str.slice(pos, end), suffix: '' };
      if (!isDigit(str[i])) {
        denom = str.slice(pos, i);
        pos = i;
        break;
      }
    }
  }
  const suffixStart = pos;
  for (i = pos; ; i++) {
    if (i >= end) return { positive, num, denom, suffix: str.slice(suffixStart, end) };
    if (!'eEinumkKMGTP'.includes(str[i])) {
      pos = i;
      break;
    }
  }
  if (pos < end && (str[pos] === '-' || str[pos] === '+')) pos++;
  for (i = pos; ; i++) {
    if (i >= end) return { positive, num, denom, suffix: str.slice(suffixStart, end) };
    if (!isDigit(str[i])) break;
  }
  return ERR_FORMAT_WRONG;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** Parses a quantity like resource.ParseQuantity; returns the error message on failure. */
export function parseQuantity(str: string): { value: number } | { error: string } {
  if (str.length === 0) return { error: ERR_FORMAT_WRONG };
  if (str === '0') return { value: 0 };
  const p = parseQuantityString(str);
  if (typeof p === 'string') return { error: p };
  const mantissa = Number(`${p.num}.${p.denom || '0'}`) * (p.positive ? 1 : -1);
  let value: number;
  if (p.suffix in BINARY) value = mantissa * 2 ** BINARY[p.suffix];
  else if (p.suffix in DECIMAL) value = mantissa * 10 ** DECIMAL[p.suffix];
  else if (p.suffix.length > 1 && (p.suffix[0] === 'e' || p.suffix[0] === 'E')) {
    const exp = p.suffix.slice(1);
    if (!/^[+-]?[0-9]+$/.test(exp)) return { error: ERR_SUFFIX };
    value = mantissa * 10 ** Number(exp);
  } else return { error: ERR_SUFFIX };
  if (!Number.isFinite(value)) return { error: ERR_NUMERIC };
  return { value };
}

/**
 * What Quantity.UnmarshalJSON makes of a JSON value: strings and numbers are parsed, null is zero,
 * anything else is parsed from its JSON text (and so fails like the real decoder).
 */
export function quantityJSONError(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  const text = typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v);
  const r = parseQuantity(text.trim());
  return 'error' in r ? r.error : undefined;
}

/** The numeric value of a quantity (NaN when it does not parse). */
export function quantityValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const r = parseQuantity(v.trim());
  return 'value' in r ? r.value : NaN;
}

// ---- canonical form (Quantity.String / CanonicalizeBytes) ----

const DEC_SUFFIX_OF: Record<number, string> = { [-9]: 'n', [-6]: 'u', [-3]: 'm', 0: '', 3: 'k', 6: 'M', 9: 'G', 12: 'T', 15: 'P', 18: 'E' };
const BIN_SUFFIX_OF = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

/** Removes factors of `base` from a non-zero value: [rest, times]. */
function removeFactors(v: bigint, base: bigint): [bigint, number] {
  let times = 0;
  while (v !== 0n && v % base === 0n) {
    v /= base;
    times++;
  }
  return [v, times];
}

/**
 * The string the API server stores for a quantity: ParseQuantity (rounding up to 1n) then
 * Quantity.String(). "1.0" -> "1", "1000m" -> "1", "0.5" -> "500m", "1024Mi" -> "1Gi",
 * "1e3" -> "1e3" (the exponent format is kept), "1.5Gi" -> "1536Mi", "0.5Ki" -> "512".
 * Returns undefined for what does not parse (validation reports it).
 */
export function canonicalQuantity(v: unknown): string | undefined {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : undefined;
  if (text === undefined || text.length === 0) return undefined;
  if (text === '0') return '0';
  const p = parseQuantityString(text);
  if (typeof p === 'string') return undefined;
  let format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
  let exp10 = 0;
  let exp2 = 0;
  if (p.suffix in BINARY) {
    format = 'BinarySI';
    exp2 = BINARY[p.suffix];
  } else if (p.suffix in DECIMAL) {
    format = 'DecimalSI';
    exp10 = DECIMAL[p.suffix];
  } else if (p.suffix.length > 1 && (p.suffix[0] === 'e' || p.suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(p.suffix.slice(1))) {
    format = 'DecimalExponent';
    exp10 = Number(p.suffix.slice(1));
  } else return undefined;
  // the exact value: unscaled * 10^scale (inf.Dec), the binary multiplier applied to the unscaled part
  let unscaled = BigInt((p.num || '0') + (p.denom || '')) * 2n ** BigInt(exp2);
  let scale = exp10 - (p.denom?.length ?? 0);
  // round up (away from zero) to nano precision
  if (unscaled !== 0n && scale < -9) {
    const div = 10n ** BigInt(-9 - scale);
    unscaled = unscaled % div === 0n ? unscaled / div : unscaled / div + 1n;
    scale = -9;
  }
  if (unscaled === 0n) return '0';
  const sign = p.positive ? '' : '-';
  if (format === 'BinarySI') {
    // |v| < 1024, or not a whole number: shown as DecimalSI
    const whole = scale >= 0 ? unscaled * 10n ** BigInt(scale) : unscaled % 10n ** BigInt(-scale) === 0n ? unscaled / 10n ** BigInt(-scale) : undefined;
    if (whole !== undefined && whole >= 1024n) {
      const [amount, times] = removeFactors(whole, 1024n);
      if (times < BIN_SUFFIX_OF.length) return `${sign}${amount}${BIN_SUFFIX_OF[times]}`;
    }
    format = 'DecimalSI';
  }
  // AsCanonicalBytes: strip factors of 10, then make the exponent a multiple of 3 (downwards)
  const [stripped, times] = removeFactors(unscaled, 10n);
  let amount = stripped;
  let exponent = scale + times;
  const mod = ((exponent % 3) + 3) % 3;
  if (mod === 1) {
    amount *= 10n;
    exponent -= 1;
  } else if (mod === 2) {
    amount *= 100n;
    exponent -= 2;
  }
  if (format === 'DecimalExponent') return `${sign}${amount}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = DEC_SUFFIX_OF[exponent];
  return suffix === undefined ? `${sign}${amount}e${exponent}` : `${sign}${amount}${suffix}`;
}

/** A map of quantities (requests, limits, capacity) in canonical form; values that do not parse are kept. */
export function canonicalizeQuantities(m: unknown): void {
  if (!m || typeof m !== 'object' || Array.isArray(m)) return;
  const rec = m as Record<string, unknown>;
  for (const [k, v] of Object.entries(rec)) {
    const c = canonicalQuantity(v);
    if (c !== undefined) rec[k] = c;
  }
}
