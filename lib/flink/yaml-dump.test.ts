import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dumpBlockYaml, formatYamlString } from './yaml-dump';

describe('formatYamlString (snakeyaml-engine, core schema)', () => {
  it('quotes strings that would resolve to other core-schema types', () => {
    for (const s of ['1', '6123', '-1', '0x1F', '0o17', '1.0', '.5', '1e3', 'true', 'False', 'null', '~', '', '.inf', '.NaN']) {
      expect(formatYamlString(s)).toBe(`'${s}'`);
    }
  });
  it('keeps ordinary strings plain', () => {
    for (const s of ['1600m', 'flink:1.20', 'key:a,operator:Equal', '--add-opens=java.base/java.lang=ALL-UNNAMED x', 'local:///a.jar', '30 s', 'a#b']) {
      expect(formatYamlString(s)).toBe(s);
    }
  });
  it('single-quotes indicators, ": " and " #", doubling quotes', () => {
    expect(formatYamlString('*')).toBe("'*'");
    expect(formatYamlString('- a')).toBe("'- a'");
    expect(formatYamlString('a: b')).toBe("'a: b'");
    expect(formatYamlString('a #b')).toBe("'a #b'");
    expect(formatYamlString("it's")).toBe("it's");
    expect(formatYamlString("'x'")).toBe("'''x'''");
    expect(formatYamlString(' lead')).toBe("' lead'");
    expect(formatYamlString('{k: v}')).toBe("'{k: v}'");
  });
});

describe('dumpBlockYaml', () => {
  it('matches YamlParserUtilsTest expectations for lists, maps and escapes', () => {
    const lines = dumpBlockYaml({
      string: 'stringValue',
      integer: 42,
      boolean: true,
      list1: ['item1', 'item2'],
      list2: '{item1, item2, item3}',
      nested: { key1: { subKey1: 'value1' }, key3: 'value3' },
      escaped1: '*',
      escaped2: '1',
      escaped3: 'true',
      empty: [],
    });
    expect(lines).toEqual([
      'string: stringValue',
      'integer: 42',
      'boolean: true',
      'list1:',
      '- item1',
      '- item2',
      "list2: '{item1, item2, item3}'",
      'nested:',
      '  key1:',
      '    subKey1: value1',
      '  key3: value3',
      "escaped1: '*'",
      "escaped2: '1'",
      "escaped3: 'true'",
      'empty: []',
    ]);
  });
  it('round-trips through a YAML parser with string values kept as strings', () => {
    const tree = { a: { b: '1', c: 'x: y', d: ['2', "q'uote"] } };
    expect(parse(dumpBlockYaml(tree).join('\n'))).toEqual(tree);
  });
});
