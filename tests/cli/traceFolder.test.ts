import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTraceDir, writeTraceDir } from '../../src/cli/traceFolder';
import { exportTraceFolder } from '../../src/sim/traces/export';
import { loadTraceFolder } from '../../src/sim/traces/folder';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'effectual-traces-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeTraceDir / readTraceDir', () => {
  it('writes an exported folder to disk and loads it back', () => {
    const files = exportTraceFolder([
      {
        name: 'conv1',
        geometry: { kind: 'conv', C: 1, H: 3, W: 3, K: 1, Kh: 3, Kw: 3, stride: 1, pad: 1 },
        actsFloat: [new Float32Array([0, 0.25, -0.25, 1, 2, 3, -1, 0.5, 9])],
        weightsFloat: new Float32Array([1, 0, -1, 0.5, 0, -0.5, 0.25, 0, -0.25]),
        precision: { actMag: 3, actFrac: 2, wgtMag: 1, wgtFrac: 3 },
      },
    ]);
    const out = join(dir, 'nested', 'traces');
    writeTraceDir(out, files);
    expect(readdirSync(out).sort()).toEqual([...files.keys()].sort());
    expect(readFileSync(join(out, 'trace_params.csv'), 'utf8')).toBe('conv1,1,3,3,1,1\n');

    mkdirSync(join(out, 'subdir')); // directories are not listed
    const traces = readTraceDir(out);
    expect(traces.list().sort()).toEqual([...files.keys()].sort());
    const { layers } = loadTraceFolder(traces);
    // x*4 clamped to ±15 (acts), x*8 clamped to ±7 (weights), half away from zero
    expect(Array.from(layers[0].acts[0])).toEqual([0, 1, -1, 4, 8, 12, -4, 2, 15]);
    expect(Array.from(layers[0].weights)).toEqual([7, 0, -7, 4, 0, -4, 2, 0, -2]);
  });

  it('reports a missing directory, a plain file and a missing file', () => {
    expect(() => readTraceDir(join(dir, 'nope'))).toThrow(/--traces .*nope: no such directory/);
    writeFileSync(join(dir, 'file.txt'), 'x');
    expect(() => readTraceDir(join(dir, 'file.txt'))).toThrow(/file\.txt: not a directory/);
    expect(() => readTraceDir(dir).read('absent.npy')).toThrow(/no file absent\.npy/);
  });

  it('refuses names that are not plain file names', () => {
    for (const name of ['../x', 'a/b', 'a\\b', '..', '']) {
      expect(() => writeTraceDir(dir, new Map([[name, new Uint8Array(1)]]))).toThrow(
        /is not a plain file name/,
      );
    }
  });
});
