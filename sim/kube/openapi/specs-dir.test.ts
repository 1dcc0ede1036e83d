// The Kubernetes reference data lives in the repository, and a missing file is named, not met later as a
// failing request.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { k8sSpecsDir, missingSpecFiles, openApiV3File, openApiV3Paths, requiredSpecFiles, specFilesProblem } from './specs-dir';

const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..');

describe('k8sSpecsDir', () => {
  it('is sim/kube/specs/kubernetes-1.28 inside the repository', () => {
    expect(k8sSpecsDir()).toBe(path.join(repoRoot, 'sim', 'kube', 'specs', 'kubernetes-1.28'));
  });

  it('holds every file the running simulator reads, tracked by git', () => {
    expect(missingSpecFiles()).toEqual([]);
    const tracked = execFileSync('git', ['ls-files', '--', 'sim/kube/specs/kubernetes-1.28'], { cwd: repoRoot, encoding: 'utf8' }).split('\n');
    for (const rel of requiredSpecFiles()) expect(tracked).toContain(`sim/kube/specs/kubernetes-1.28/${rel}`);
  });

  it('serves every OpenAPI v3 document of the folder under /openapi/v3, and no other', () => {
    const files = readdirSync(k8sSpecsDir()).filter((f) => f.endsWith('_openapi.json'));
    expect(openApiV3Paths().map(openApiV3File).sort()).toEqual(files.sort());
    expect(openApiV3Paths()).toContain('apis/apps/v1');
    expect(openApiV3Paths()).toContain('api/v1');
  });
});

describe('missingSpecFiles', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function folderWithAll(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-specs-'));
    dirs.push(dir);
    for (const rel of requiredSpecFiles()) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), '{}');
    }
    return dir;
  }

  it('finds nothing missing when every required file is there', () => {
    const dir = folderWithAll();
    expect(missingSpecFiles(dir)).toEqual([]);
    expect(specFilesProblem(dir)).toBeUndefined();
  });

  it('names a missing file and an empty one', () => {
    const dir = folderWithAll();
    rmSync(path.join(dir, 'captured', 'discovery_version.json'));
    writeFileSync(path.join(dir, 'apis__apps__v1_openapi.json'), '');
    const missing = [path.join(dir, 'apis__apps__v1_openapi.json'), path.join(dir, 'captured', 'discovery_version.json')];
    expect(missingSpecFiles(dir).sort()).toEqual(missing.sort());
    const problem = specFilesProblem(dir)!;
    expect(problem).toMatch(/^missing data files: /);
    for (const f of missing) expect(problem).toContain(f);
    expect(problem).toContain('git checkout -- sim/kube/specs');
  });

  it('names every file of an empty folder', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-specs-'));
    dirs.push(dir);
    expect(missingSpecFiles(dir)).toEqual(requiredSpecFiles().map((rel) => path.join(dir, rel)));
    expect(specFilesProblem(dir)).toContain(path.join(dir, 'swagger.json'));
  });
});
