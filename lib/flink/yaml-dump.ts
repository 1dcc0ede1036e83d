// The subset of snakeyaml-engine's block emitter that Flink's YamlParserUtils uses to write
// config.yaml (DumpSettings: FlowStyle.BLOCK, splitLines false, CoreSchema; FlinkConfigRepresenter).
// Strings stay plain unless the core schema would read them as another type or the YAML
// emitter's scalar analysis forbids plain style; then they are single-quoted ('' escapes a quote).
// Values containing line breaks or non-printable characters are rejected by the spec schema, so
// double-quoted style never occurs here.

export type YamlValue = string | number | boolean | readonly string[];

// snakeyaml-engine CoreScalarResolver patterns (YAML 1.2 core schema).
const CORE_NULL = /^(?:~|null|Null|NULL|)$/;
const CORE_BOOL = /^(?:true|True|TRUE|false|False|FALSE)$/;
const CORE_INT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;
const CORE_FLOAT =
  /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

function resolvesToNonString(value: string): boolean {
  return CORE_NULL.test(value) || CORE_BOOL.test(value) || CORE_INT.test(value) || CORE_FLOAT.test(value);
}

const WHITESPACE_AFTER = new Set(['\0', ' ', '\t', '\r', '\n', '\u0085', '\u2028', '\u2029']);

/** Emitter.analyzeScalar, reduced to "may this be written as a block plain scalar?". */
function allowsBlockPlain(value: string): boolean {
  if (value.length === 0) return false;
  if (value.startsWith('---') || value.startsWith('...')) return false;
  if (value.startsWith(' ') || value.endsWith(' ')) return false;
  let precededByWhitespace = true;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const next = value[i + 1];
    const followedByWhitespace = next === undefined || WHITESPACE_AFTER.has(next);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) return false;
      if ((ch === '?' || ch === ':') && followedByWhitespace) return false;
      if (ch === '-' && followedByWhitespace) return false;
    } else {
      if (ch === ':' && followedByWhitespace) return false;
      if (ch === '#' && precededByWhitespace) return false;
    }
    if (ch === '\n' || ch === '\r' || ch === '\t') return false;
    precededByWhitespace = ch === ' ' || ch === '\t';
  }
  return true;
}

/** A string scalar as snakeyaml-engine writes it in block context. */
export function formatYamlString(value: string): string {
  if (!resolvesToNonString(value) && allowsBlockPlain(value)) return value;
  return `'${value.replaceAll("'", "''")}'`;
}

function formatScalar(value: string | number | boolean): string {
  if (typeof value === 'string') return formatYamlString(value);
  return String(value);
}

export interface YamlTree {
  [key: string]: YamlValue | YamlTree;
}

function isTree(value: YamlValue | YamlTree): value is YamlTree {
  return typeof value === 'object' && !Array.isArray(value);
}

/** Dumps a nested map in block style with 2-space indentation, lists as `- item` at key level. */
export function dumpBlockYaml(tree: YamlTree, indent = 0): string[] {
  const pad = ' '.repeat(indent);
  const lines: string[] = [];
  for (const [key, value] of Object.entries(tree)) {
    const k = formatYamlString(key);
    if (isTree(value)) {
      if (Object.keys(value).length === 0) lines.push(`${pad}${k}: {}`);
      else lines.push(`${pad}${k}:`, ...dumpBlockYaml(value, indent + 2));
    } else if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${pad}${k}: []`);
      else lines.push(`${pad}${k}:`, ...value.map((item: string) => `${pad}- ${formatScalar(item)}`));
    } else {
      lines.push(`${pad}${k}: ${formatScalar(value as string | number | boolean)}`);
    }
  }
  return lines;
}
