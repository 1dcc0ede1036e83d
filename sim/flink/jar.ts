// Jars are zips: the manifest names the entry class (Program-Class wins over Main-Class, as
// PackagedProgram.getEntryPointClassNameFromJar reads them); .class entries are the classes it holds.
import { unzipSync, strFromU8 } from 'fflate';

export interface JarInfo {
  manifest: Record<string, string>;
  classes: Set<string>;
  /** the example program this jar is, when it is one of the distribution's example jars */
  example?: string;
}

export class InvalidJarError extends Error {}

/** Parses META-INF/MANIFEST.MF (continuation lines start with one space). */
export function parseManifest(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let last: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith(' ') && last) {
      out[last] += line.slice(1);
      continue;
    }
    const i = line.indexOf(':');
    if (i <= 0) continue;
    last = line.slice(0, i).trim();
    out[last] = line.slice(i + 1).trim();
  }
  return out;
}

export function readJar(bytes: Uint8Array): JarInfo {
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes);
  } catch (e) {
    throw new InvalidJarError(`error in opening zip file: ${(e as Error).message}`);
  }
  const mf = files['META-INF/MANIFEST.MF'];
  const manifest = mf ? parseManifest(strFromU8(mf)) : {};
  const classes = new Set<string>();
  for (const name of Object.keys(files)) {
    if (name.endsWith('.class') && !name.startsWith('META-INF/')) classes.add(name.slice(0, -6).replace(/\//g, '.'));
  }
  return { manifest, classes };
}

/** PackagedProgram: the entry point from the manifest, "program-class" first, then "Main-Class". */
export function manifestEntryClass(manifest: Record<string, string>): string | undefined {
  const lower = Object.fromEntries(Object.entries(manifest).map(([k, v]) => [k.toLowerCase(), v]));
  return lower['program-class'] ?? lower['main-class'];
}
