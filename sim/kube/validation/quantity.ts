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
