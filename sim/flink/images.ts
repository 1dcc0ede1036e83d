// Which images are Flink images, and which Flink version each runs.
//
// Published tags of the official `flink` / `apache/flink` images for the supported versions.
// Source: apache/flink-docker `<minor>/scala_2.12-java<N>-ubuntu/release.metadata` (the "Tags:" lines that
// generate-stackbrew-library.sh feeds to docker-library/official-images `library/flink`), read at:
//   1.19 java8/11/17 up to 1.19.3 (commit 3679d8de), 1.20 java8/11/17 up to 1.20.3 (ea62362d) + java21 (a536f74c),
//   2.0 java11/17/21 2.0.0..2.0.1 (87367340), 2.1 java11/17/21 2.1.0..2.1.2 (1f5cf6fc, 6faa5b0c),
//   2.2 java11/17/21 2.2.0 (2bc8536e), 2.3 java11/17/21 2.3.0 (eb9dd2bd, 22f0d026).
// Tag shape per release: <v>-scala_2.12-java<N>, <minor>-scala_2.12-java<N>, <v>-java<N>, <minor>-java<N>;
// the default Java (11 on 1.x, 17 on 2.x) also gets <v>-scala_2.12, <minor>-scala_2.12, <v>, <minor>.
// The floating tags (latest, java17, scala_2.12, ...) point at the newest release, 2.3.0.
import { parseImage } from '../kube/runtime';

interface Line {
  minor: string;
  patches: string[];
  javas: number[];
  defaultJava: number;
}

const LINES: Line[] = [
  { minor: '1.19', patches: ['1.19.0', '1.19.1', '1.19.2', '1.19.3'], javas: [8, 11, 17], defaultJava: 11 },
  { minor: '1.20', patches: ['1.20.0', '1.20.1', '1.20.2', '1.20.3'], javas: [8, 11, 17, 21], defaultJava: 11 },
  { minor: '2.0', patches: ['2.0.0', '2.0.1'], javas: [11, 17, 21], defaultJava: 17 },
  { minor: '2.1', patches: ['2.1.0', '2.1.1', '2.1.2'], javas: [11, 17, 21], defaultJava: 17 },
  { minor: '2.2', patches: ['2.2.0'], javas: [11, 17, 21], defaultJava: 17 },
  { minor: '2.3', patches: ['2.3.0'], javas: [11, 17, 21], defaultJava: 17 },
];

const NEWEST = LINES[LINES.length - 1];

/** tag -> full Flink version ("1.20.3"). */
export const OFFICIAL_TAGS: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  const add = (names: string[], version: string, javas: number[], defaultJava: number) => {
    for (const n of names) {
      for (const j of javas) {
        m.set(`${n}-scala_2.12-java${j}`, version);
        m.set(`${n}-java${j}`, version);
      }
      m.set(`${n}-scala_2.12`, version);
      m.set(n, version);
    }
    void defaultJava;
  };
  for (const line of LINES) {
    for (const p of line.patches) add([p], p, line.javas, line.defaultJava);
    add([line.minor], line.patches[line.patches.length - 1], line.javas, line.defaultJava);
  }
  const newest = NEWEST.patches[NEWEST.patches.length - 1];
  m.set('latest', newest);
  m.set('scala_2.12', newest);
  for (const j of NEWEST.javas) {
    m.set(`java${j}`, newest);
    m.set(`scala_2.12-java${j}`, newest);
  }
  return m;
})();

export interface CustomImage {
  image: string;
  flinkVersion: string;
  /** jars in the image; `bytes` (a real jar) lets the JobManager read its manifest and classes */
  jars: { path: string; entryClass?: string; bytes?: Uint8Array }[];
}

export const OFFICIAL_REPOSITORIES = ['flink', 'apache/flink'];

/** The Flink version an image runs, or undefined when it is not a known Flink image. */
export function flinkVersionOf(image: string, custom: ReadonlyMap<string, CustomImage>): string | undefined {
  const c = custom.get(image) ?? custom.get(normalizeImage(image));
  if (c) return c.flinkVersion;
  const { repository, tag, digest } = parseImage(image);
  if (!OFFICIAL_REPOSITORIES.includes(repository)) return undefined;
  if (tag !== undefined) return OFFICIAL_TAGS.get(tag);
  if (digest !== undefined) return /^sha256:[0-9a-f]{64}$/.test(digest) ? OFFICIAL_TAGS.get('latest') : undefined;
  return OFFICIAL_TAGS.get('latest');
}

/** Image reference without registry prefix, for lookups of custom images. */
export function normalizeImage(image: string): string {
  const { repository, tag, digest } = parseImage(image);
  return repository + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}

/** "1.20.3" -> "1.20" */
export function minorOf(version: string): string {
  const [a, b] = version.split('.');
  return `${a}.${b}`;
}

/** Compares minor versions: versionAtLeast("1.20.1", "1.20") === true. */
export function versionAtLeast(version: string, min: string): boolean {
  const [a, b] = version.split('.').map((x) => parseInt(x, 10));
  const [c, d] = min.split('.').map((x) => parseInt(x, 10));
  return a > c || (a === c && b >= d);
}
