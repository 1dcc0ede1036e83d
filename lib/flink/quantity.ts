// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource Quantity grammar) and the
// conversions to what Flink's client reads and writes.
//
// <quantity> ::= <signedNumber><suffix>; <suffix> ::= <binarySI> | <decimalExponent> | <decimalSI>
// <binarySI> ::= Ki | Mi | Gi | Ti | Pi | Ei; <decimalSI> ::= m | "" | k | M | G | T | P | E;
// <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>

export const QUANTITY_PATTERN = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

export function isQuantity(value: string): boolean {
  return QUANTITY_PATTERN.test(value);
}

/** The numeric value of a quantity (bytes for memory, cores for cpu), or undefined. */
export function parseQuantity(value: string): number | undefined {
  const match = QUANTITY_PATTERN.exec(value);
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  if (suffix in BINARY) return number * (BINARY[suffix] as number);
  if (suffix in DECIMAL) return number * (DECIMAL[suffix] as number);
  return number * 10 ** Number(suffix.slice(1));
}

/**
 * Flink's MemorySize syntax for a byte count: the biggest binary unit that divides it exactly
 * (MemorySize.parse accepts b, k, m, g, t; all powers of 1024).
 */
export function toFlinkMemorySize(bytes: number): string {
  const whole = Math.floor(bytes);
  for (const [unit, factor] of [['t', 2 ** 40], ['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
    if (whole >= factor && whole % factor === 0) return `${whole / factor}${unit}`;
  }
  return `${whole}b`;
}

/**
 * Java's Double.toString for the values the client formats (cpu amounts in
 * KubernetesUtils.getResourceRequirements: `new Quantity(String.valueOf(cpu))`): integral values
 * keep a trailing ".0", others use the shortest round-trip digits (as JavaScript does).
 * Values ≥ 1e7 or < 1e-3 use Java's computerized scientific notation.
 */
export function formatJavaDouble(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < 1e7) return `${value}.0`;
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e7 || abs < 1e-3)) {
    const [mantissa, exponent] = value.toExponential().split('e') as [string, string];
    const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
    return `${m}E${Number(exponent)}`;
  }
  return String(value);
}
