import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIST_CONF_BY_FOLDER } from './dist-conf.generated';
import { DIST_CONF_REFERENCE_DIR, renderDistConfModule } from './render-dist-conf';

describe('dist-conf.generated.ts', () => {
  it('matches the reference distribution files (regenerate with generate-dist-conf.ts)', () => {
    const committed = readFileSync(path.join(import.meta.dirname, 'dist-conf.generated.ts'), 'utf8');
    expect(committed).toBe(renderDistConfModule(DIST_CONF_REFERENCE_DIR));
  });
  it('keeps config.yaml types: ports and counts as numbers, sizes as strings', () => {
    const config = new Map(DIST_CONF_BY_FOLDER['1.20']!.config);
    expect(config.get('jobmanager.rpc.port')).toBe(6123);
    expect(config.get('taskmanager.numberOfTaskSlots')).toBe(1);
    expect(config.get('jobmanager.memory.process.size')).toBe('1600m');
    expect(config.has('rest.bind-address')).toBe(true);
    expect(new Map(DIST_CONF_BY_FOLDER['2.0']!.config).has('rest.bind-address')).toBe(false);
  });
});
