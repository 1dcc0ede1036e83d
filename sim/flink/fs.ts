// The simulated distributed file system Flink writes checkpoints, savepoints and HA blobs to.
// Every URI (file:///x, s3://bucket/x, hdfs://nn/x, /x) maps to a folder below <dataDir>/flink-fs.
import fs from 'node:fs';
import path from 'node:path';

export class SimFs {
  constructor(readonly root: string) {}

  localPath(uri: string): string {
    let scheme = 'file';
    let rest = uri;
    const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(.*)$/.exec(uri) ?? /^([a-zA-Z][a-zA-Z0-9+.-]*):(\/.*)$/.exec(uri);
    if (m) {
      scheme = m[1].toLowerCase();
      rest = m[2];
    }
    const parts = rest.split('/').filter((p) => p && p !== '.' && p !== '..');
    return path.join(this.root, scheme, ...parts);
  }
  write(uri: string, data: string | Uint8Array) {
    const p = this.localPath(uri);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
  }
  read(uri: string): Buffer | undefined {
    try {
      return fs.readFileSync(this.localPath(uri));
    } catch {
      return undefined;
    }
  }
  exists(uri: string): boolean {
    return fs.existsSync(this.localPath(uri));
  }
  remove(uri: string) {
    fs.rmSync(this.localPath(uri), { recursive: true, force: true });
  }
}

/** Joins a directory URI and a child name ("s3://b/x/" + "y" -> "s3://b/x/y"). */
export function joinUri(dir: string, ...names: string[]): string {
  return [dir.replace(/\/+$/, ''), ...names].join('/');
}
