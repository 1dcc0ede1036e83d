import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { generateFlinkRest, OUT_DIR, SPEC_LINES, outFileFor } from '../../scripts/gen-flink-rest.mjs';
import { REST_LINES } from './versions';

const tmp = mkdtempSync(path.join(tmpdir(), 'flink-rest-gen-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('generated Flink REST types', () => {
  it('regenerating them gives the same bytes as the committed files', async () => {
    const written: string[] = await generateFlinkRest(tmp);
    expect(written.map((f) => path.basename(f)).sort()).toEqual(readdirSync(OUT_DIR).sort());
    for (const file of written) {
      const committed = readFileSync(path.join(OUT_DIR, path.basename(file)));
      expect(readFileSync(file).equals(committed), `${path.basename(file)} differs: run npm run gen:flink-rest`).toBe(true);
    }
  }, 120_000);

  it('has one generated file for each REST line versions.ts knows', () => {
    expect(Object.keys(SPEC_LINES as Record<string, string>).sort()).toEqual([...REST_LINES].sort());
    expect(REST_LINES.map((l) => outFileFor(l) as string).sort()).toEqual(readdirSync(OUT_DIR).sort());
  });
});
