// JSON parsing with Go's encoding/json syntax error wording ("invalid character 'n' looking for
// beginning of object key string"), which kube-apiserver puts in its BadRequest messages.

export class GoJsonError extends Error {}

function quoteChar(c: string): string {
  if (c === "'") return `'\\''`;
  if (c === '"') return `'"'`;
  const q = JSON.stringify(c);
  return `'${q.slice(1, -1)}'`;
}

/** Parses JSON; on a syntax error throws GoJsonError with Go's message. */
export function parseGoJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    throw new GoJsonError(goSyntaxError(text));
  }
}

/** Scans text as Go's scanner does and returns the first error's message. */
export function goSyntaxError(s: string): string {
  let i = 0;
  const n = s.length;
  const ws = () => {
    while (i < n && (s[i] === ' ' || s[i] === '\t' || s[i] === '\n' || s[i] === '\r')) i++;
  };
  const fail = (ctx: string): never => {
    if (i >= n) throw new Error('unexpected end of JSON input');
    throw new Error(`invalid character ${quoteChar(s[i])} ${ctx}`);
  };
  const value = (): void => {
    ws();
    if (i >= n) fail('looking for beginning of value');
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') fail('looking for beginning of object key string');
        str();
        ws();
        if (s[i] !== ':') fail('after object key');
        i++;
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        fail('after object key:value pair');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        fail('after array element');
      }
    }
    if (c === '"') return str();
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    for (const lit of ['true', 'false', 'null']) {
      if (c === lit[0]) {
        i++;
        for (let k = 1; k < lit.length; k++, i++) if (s[i] !== lit[k]) fail(`in literal ${lit} (expecting ${quoteChar(lit[k])})`);
        return;
      }
    }
    fail('looking for beginning of value');
  };
  const str = (): void => {
    i++;
    for (;;) {
      if (i >= n) fail('');
      const c = s[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        i++;
        if (i >= n) fail('');
        if ('"\\/bfnrt'.includes(s[i])) i++;
        else if (s[i] === 'u') {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(s[i] ?? '')) fail('in \\u hexadecimal character escape');
        } else fail('in string escape code');
        continue;
      }
      if (c < ' ') fail('in string literal');
      i++;
    }
  };
  const num = (): void => {
    if (s[i] === '-') {
      i++;
      if (!(s[i] >= '0' && s[i] <= '9')) fail('in numeric literal');
    }
    if (s[i] === '0') i++;
    else while (s[i] >= '0' && s[i] <= '9') i++;
    if (s[i] === '.') {
      i++;
      if (!(s[i] >= '0' && s[i] <= '9')) fail('after decimal point in numeric literal');
      while (s[i] >= '0' && s[i] <= '9') i++;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      i++;
      if (s[i] === '+' || s[i] === '-') i++;
      if (!(s[i] >= '0' && s[i] <= '9')) fail('in exponent of numeric literal');
      while (s[i] >= '0' && s[i] <= '9') i++;
    }
  };
  try {
    value();
    ws();
    if (i < n) fail('after top-level value');
    return 'unexpected end of JSON input';
  } catch (e) {
    return (e as Error).message;
  }
}
