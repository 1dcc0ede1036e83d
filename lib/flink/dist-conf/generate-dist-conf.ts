// Writes dist-conf.generated.ts from the Flink distributions' conf/ files kept in ./reference
// (see reference/PROVENANCE.md). The app reads no data files at runtime, so the generated module is
// committed; dist-conf.test.ts checks it is what the reference files render to.
//
//   npx tsx lib/flink/dist-conf/generate-dist-conf.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { DIST_CONF_REFERENCE_DIR, renderDistConfModule } from './render-dist-conf';

const target = path.join(import.meta.dirname, 'dist-conf.generated.ts');
writeFileSync(target, renderDistConfModule(DIST_CONF_REFERENCE_DIR));
console.log(`wrote ${target}`);
