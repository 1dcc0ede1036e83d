// Writes dist-conf.generated.ts from the Flink distributions' conf/ files kept in the shared
// reference folder (see shared/reference/flink-dist-conf/PROVENANCE.md). The app must not read
// paths outside the repository at runtime, so the generated module is committed.
//
//   npx tsx lib/flink/dist-conf/generate-dist-conf.ts [path/to/flink-dist-conf]
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { findDistConfDir, renderDistConfModule } from './render-dist-conf';

const sourceDir = process.argv[2] ?? findDistConfDir(import.meta.dirname);
if (!sourceDir) throw new Error('shared/reference/flink-dist-conf not found; pass its path');
const target = path.join(import.meta.dirname, 'dist-conf.generated.ts');
writeFileSync(target, renderDistConfModule(sourceDir));
console.log(`wrote ${target}`);
