import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TraceFiles } from '../sim/traces/folder';

/** A trace directory on disk as the file map loadTraceFolder reads (plain files of `dir`, not recursive). */
export function readTraceDir(dir: string): TraceFiles {
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new Error(`--traces ${dir}: no such directory`);
  }
  if (!isDir) throw new Error(`--traces ${dir}: not a directory`);
  const names = readdirSync(dir).filter((name) => statSync(join(dir, name)).isFile());
  return {
    list: () => [...names],
    read: (name: string) => {
      if (!names.includes(name)) throw new Error(`--traces ${dir}: no file ${name}`);
      const buf = readFileSync(join(dir, name));
      return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
    },
  };
}

/** Writes a file map (e.g. from exportTraceFolder) into `dir`, creating it if needed. */
export function writeTraceDir(dir: string, files: ReadonlyMap<string, Uint8Array>): void {
  for (const name of files.keys()) {
    if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
      throw new Error(`writeTraceDir: '${name}' is not a plain file name`);
    }
  }
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
}
