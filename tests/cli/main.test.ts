import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/main';
import { ENERGY_COLUMNS, LAYER_COLUMNS, RESULT_COLUMNS, STORAGE_COLUMNS } from '../../src/cli/format';
import { loadInputs } from '../../src/cli/assets';
import { defaultConfig } from '../../src/sim/config';
import { runPipeline } from '../../src/sim/pipeline';
import type { SimReport } from '../../src/sim/report';
import { smallResNet } from '../helpers/smallNetwork';

const ROOT = resolve(__dirname, '../..');
let dir: string;
let model: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'effectual-cli-'));
  model = join(dir, 'small.onnx');
  // 1x28x28 input like the shipped Fashion-MNIST test set; 16 and 32 channels so grid rows matter.
  writeFileSync(model, smallResNet(28, { widths: [16, 32], classes: 10 }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in-process, capturing what it writes. */
function cli(...args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const stdout = process.stdout.write;
  const stderr = process.stderr.write;
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  try {
    return { code: runCli(args), out, err };
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
}

function json(...args: string[]): SimReport {
  const r = cli(...args, '--format', 'json');
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.out) as SimReport;
}

function cyclesByLayer(r: SimReport, id: string): Record<string, number> {
  return Object.fromEntries(
    r.layers.filter((l) => l.results[id as 'dadn']).map((l) => [l.name, l.results[id as 'dadn']!.cycles]),
  );
}

const ACCELS = ['dadn', 'laconic', 'cnvlutin', 'eie', 'dlac'];

describe('--format json', () => {
  let report: SimReport;
  let text: string;
  beforeAll(() => {
    const r = cli('--model', model, '--accel', ACCELS.join(','), '--images', '2', '--format', 'json');
    expect(r.code).toBe(0);
    text = r.out;
    report = JSON.parse(text) as SimReport;
  });

  it('follows the product contract: config, accuracy, layers with results, totals', () => {
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['config', 'accuracy', 'layers', 'totals']));
    expect(report.config).toEqual({ ...defaultConfig(model), images: 2, accels: ACCELS });
    expect(Object.keys(report.accuracy!).sort()).toEqual(['float', 'images', 'quantized']);
    expect(report.accuracy!.images).toBe(2);
    for (const v of [report.accuracy!.float, report.accuracy!.quantized]) expect([0, 0.5, 1]).toContain(v);
    expect(report.layers.length).toBe(7);
    for (const l of report.layers) {
      expect(typeof l.name).toBe('string');
      expect(['conv', 'fc']).toContain(l.kind);
      expect(Number.isInteger(l.macs) && l.macs > 0).toBe(true);
      expect(Object.keys(l.results)).toEqual(ACCELS.filter((id) => id !== 'eie' || l.kind === 'fc'));
      for (const [id, r] of Object.entries(l.results)) {
        for (const k of ['cycles', 'baselineCycles', 'speedup'] as const) expect(typeof r![k]).toBe('number');
        expect(r!.speedup).toBeCloseTo(r!.baselineCycles / Math.max(r!.cycles, 1), 12);
        // Potentials (accelerators.md §1.8) exist for the grid family, SCNN and Bit Fusion, not for Cnvlutin/EIE/DLAC.
        if (id === 'dadn' || id === 'laconic')
          expect(Object.keys(r!.potential!).sort()).toEqual(['bits', 'speedup', 'workReductionPct']);
        else expect(r!.potential).toBeUndefined();
      }
    }
    expect(Object.keys(report.totals.results)).toEqual(ACCELS);
    expect(report.totals.macs).toBe(report.layers.reduce((s, l) => s + l.macs, 0));
  });

  it('is the core’s report, byte for byte', () => {
    const config = { ...defaultConfig(model), images: 2, accels: ACCELS as SimReport['config']['accels'] };
    expect(text).toBe(JSON.stringify(runPipeline(config, loadInputs(model)), null, 1) + '\n');
  });

  it('--format csv has the documented columns and the JSON’s values', () => {
    const r = cli('--model', model, '--accel', ACCELS.join(','), '--images', '2', '--format', 'csv');
    expect(r.code).toBe(0);
    const [head, ...rows] = r.out.trimEnd().split('\n');
    const header = head.split(',');
    expect(header).toEqual([
      ...LAYER_COLUMNS,
      ...ACCELS.flatMap((id) => RESULT_COLUMNS.map((c) => `${id}.${c}`)),
      ...STORAGE_COLUMNS,
      ...ACCELS.flatMap((id) => ENERGY_COLUMNS.map((c) => `${id}.${c}`)),
    ]);
    expect(rows.length).toBe(report.layers.length);
    rows.forEach((row, i) => {
      const cells = row.split(',');
      const l = report.layers[i];
      expect(cells.length).toBe(header.length);
      expect(cells[0]).toBe(l.name);
      expect(cells[1]).toBe(l.kind);
      const expectNumber = (cell: string, value: number | undefined) => {
        if (value === undefined) return expect(cell).toBe('');
        expect(Math.abs(Number(cell) - value)).toBeLessThanOrEqual(1e-5 * Math.abs(value));
      };
      LAYER_COLUMNS.slice(2).forEach((c, j) =>
        expectNumber(cells[2 + j], l[c as Exclude<typeof c, 'layer'>] as number),
      );
      ACCELS.forEach((id, a) => {
        const res = l.results[id as 'dadn'];
        const values = res
          ? [
              res.cycles,
              res.baselineCycles,
              res.speedup,
              res.potential?.speedup,
              res.occupancy,
              res.effectualWork,
            ]
          : RESULT_COLUMNS.map(() => undefined);
        values.forEach((v, k) =>
          expectNumber(cells[LAYER_COLUMNS.length + a * RESULT_COLUMNS.length + k], v),
        );
      });
      // Storage and energy columns, looked up by name in the header: the JSON's fields (output-format.md §6).
      const cell = (name: string) => cells[header.indexOf(name)];
      const own = l.storage.formats[l.storage.format]!;
      expect(cell('storage.format')).toBe(l.storage.format);
      expectNumber(cell('storage.n'), l.storage.n);
      expectNumber(cell('storage.nnz'), l.storage.nnz);
      expectNumber(cell('storage.bits'), own.bits);
      expectNumber(cell('storage.bitsPerWeight'), own.bitsPerWeight);
      expectNumber(cell('storage.compression'), own.compression);
      expectNumber(cell('storage.fp32Bits'), l.storage.formats.fp32!.bits);
      expectNumber(cell('storage.eieCscBits'), l.storage.formats.eieCsc?.bits);
      for (const id of ACCELS) {
        const e = l.energy[id as 'dadn'];
        expectNumber(cell(`${id}.energyPJ`), e?.total);
        expectNumber(cell(`${id}.computePJ`), e?.compute);
        expectNumber(cell(`${id}.sramPJ`), e?.sram);
        expectNumber(cell(`${id}.dramPJ`), e?.dram);
        expectNumber(cell(`${id}.leakagePJ`), e?.leakage);
      }
    });
  });

  it('a JSON config file gives the same output as the same settings given as options', () => {
    const file = join(dir, 'config.json');
    writeFileSync(file, JSON.stringify({ model, images: 2, accels: ACCELS }));
    expect(cli('--config', file, '--format', 'json').out).toBe(text);
    writeFileSync(file, JSON.stringify({ ...defaultConfig(model), images: 2, accels: ACCELS }));
    expect(cli('--config', file, '--format', 'json').out).toBe(text);
  });
});

describe('energy constants in a JSON config', () => {
  it('reach the report: config.energy is kept and DRAM energy scales with dramPerWord', () => {
    const file = join(dir, 'energy.json');
    writeFileSync(file, JSON.stringify({ model, accels: ['dadn'], energy: { dramPerWord: 2560 } }));
    const doubled = json('--config', file);
    const base = json('--model', model, '--accel', 'dadn');
    expect(doubled.config.energy).toEqual({ dramPerWord: 2560 });
    expect(base.config.energy).toBeUndefined();
    doubled.layers.forEach((l, i) => {
      const [e, b] = [l.energy.dadn!, base.layers[i].energy.dadn!];
      expect(e.dram).toBe(2 * b.dram);
      expect([e.compute, e.sram]).toEqual([b.compute, b.sram]);
    });
  });

  it('the table ends with the storage and energy summary', () => {
    const r = cli('--model', model, '--accel', 'dadn,eie');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^weights: .* as configured \(fixed\), 16\.00 bits\/weight, 2\.0x smaller than FP32/m,
    );
    expect(r.out).toMatch(
      /^energy estimate per image .*: dadn [\d.]+ [µn]J, eie [\d.]+ [µn]J \[1 layer\(s\)\]/m,
    );
  });
});

describe('--param', () => {
  it('laconic.rows=8 changes Laconic cycles and is recorded in the config', () => {
    const base = json('--model', model, '--accel', 'laconic');
    const rows8 = json('--model', model, '--accel', 'laconic', '--param', 'laconic.rows=8');
    expect(rows8.config.params).toEqual({ 'laconic.rows': 8 });
    expect(cyclesByLayer(rows8, 'laconic')).not.toEqual(cyclesByLayer(base, 'laconic'));
  });

  it('dstripes.columnRegisters=0 (no run-ahead) never decreases cycles', () => {
    const base = cyclesByLayer(json('--model', model, '--accel', 'dstripes'), 'dstripes');
    const none = cyclesByLayer(
      json('--model', model, '--accel', 'dstripes', '--param', 'dstripes.columnRegisters=0'),
      'dstripes',
    );
    expect(Object.keys(none)).toEqual(Object.keys(base));
    for (const name of Object.keys(base)) expect(none[name], name).toBeGreaterThanOrEqual(base[name]);
  });
});

describe('--traces', () => {
  it('a folder written by --export-traces simulates to the model run’s per-layer cycles', () => {
    const traces = join(dir, 'traces');
    const accels = 'dadn,stripes,pragmatic,laconic,dlac,cnvlutin';
    const fromModel = json('--model', model, '--accel', accels, '--export-traces', traces);
    const fromTraces = json('--traces', traces, '--accel', accels);
    expect(fromTraces.model.name).toBe(`traces:${traces}`);
    expect(fromTraces.layers.map((l) => [l.name, l.macs, l.pa])).toEqual(
      fromModel.layers.map((l) => [l.name, l.macs, l.pa]),
    );
    for (const id of accels.split(','))
      expect(cyclesByLayer(fromTraces, id), id).toEqual(cyclesByLayer(fromModel, id));
  });
});

describe('table', () => {
  it('prints layers and totals', () => {
    const r = cli('--model', model, '--accel', 'dadn,dlac');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/layer2\.0\.downsample\.0/);
    expect(r.out).toMatch(/^total /m);
    expect(r.out).not.toMatch(/synthetic/);
  });

  it('labels a synthetic preset as synthetic', () => {
    const r = cli('--model', 'resnet18-synthetic', '--accel', 'dadn');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/resnet18-synthetic.*synthetic/);
  });

  it('--help prints the usage', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--param ID\.NAME=VALUE/);
  });
});

describe('bad input: non-zero exit and a message naming the problem', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    [
      'unknown accelerator',
      () => ['--accel', 'dadn,nope'],
      /unknown accelerator 'nope' \(expected dadn, stripes/,
    ],
    [
      'unknown parameter',
      () => ['--param', 'laconic.nope=1'],
      /unknown parameter 'nope' for laconic \(valid: lanes, columns, rows, tiles/,
    ],
    [
      'parameter of an unknown model',
      () => ['--param', 'foo.rows=1'],
      /unknown accelerator 'foo' in parameter 'foo\.rows'/,
    ],
    ['non-numeric value', () => ['--param', 'laconic.rows=abc'], /laconic\.rows must be a number, got 'abc'/],
    [
      'non-integer value',
      () => ['--param', 'laconic.rows=1.5'],
      /laconic\.rows must be an integer, got '1\.5'/,
    ],
    [
      'non-boolean value',
      () => ['--param', 'laconic.zeroCount=maybe'],
      /laconic\.zeroCount must be true or false, got 'maybe'/,
    ],
    [
      'bad enum value',
      () => ['--param', 'laconic.tileSync=never'],
      /laconic\.tileSync must be one of windowGroup, step, got 'never'/,
    ],
    [
      '--param without =',
      () => ['--param', 'laconic.rows'],
      /--param expects ID\.NAME=VALUE, got 'laconic\.rows'/,
    ],
    ['--images 0', () => ['--images', '0'], /--images must be an integer >= 1, got '0'/],
    ['--images empty', () => ['--images='], /--images must be an integer >= 1, got ''/],
    ['--seed not a number', () => ['--seed', 'x'], /--seed must be an integer >= 0, got 'x'/],
    [
      'missing model file',
      () => ['--model', join(dir, 'absent.onnx')],
      /model file not found: .*absent\.onnx/,
    ],
    [
      'not an ONNX file',
      () => ['--model', writeTemp('junk.onnx', 'not a model at all')],
      /not an ONNX model/,
    ],
    ['unknown --format', () => ['--format', 'xml'], /--format must be table, csv or json, got 'xml'/],
    ['unknown option', () => ['--bogus'], /Unknown option '--bogus'/],
    [
      'unknown config field',
      () => ['--config', writeTemp('c1.json', '{"quant": {"foo": 1}}')],
      /unknown config field 'quant\.foo'/,
    ],
    [
      'config field of the wrong type',
      () => ['--config', writeTemp('c2.json', '{"images": "3"}')],
      /config field 'images' must be a number, got "3"/,
    ],
    [
      'config model not a string',
      () => ['--config', writeTemp('c3.json', '{"model": 5}')],
      /config field 'model' must be a string, got 5/,
    ],
    [
      'config with an unknown accelerator',
      () => ['--config', writeTemp('c4.json', '{"accels": ["dadn", "tpu"]}')],
      /config field 'accels' must list accelerator ids/,
    ],
    [
      'config with an unknown energy constant',
      () => ['--config', writeTemp('c6.json', '{"energy": {"warpCore": 1}}')],
      /config field 'energy': 'warpCore' is not an energy constant/,
    ],
    [
      'config with a negative energy constant',
      () => ['--config', writeTemp('c7.json', '{"energy": {"dramPerWord": -1}}')],
      /config field 'energy': dramPerWord: -1 is outside/,
    ],
    [
      'config that is not JSON',
      () => ['--config', writeTemp('c5.json', '{images: 3')],
      /--config .*c5\.json: not valid JSON/,
    ],
    [
      'missing trace folder',
      () => ['--traces', join(dir, 'no-traces')],
      /--traces .*no-traces: no such directory/,
    ],
  ];
  function writeTemp(name: string, content: string): string {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  }

  it.each(cases)('%s', (_, args, message) => {
    const r = cli(...args());
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^effectual: /);
    expect(r.err).toMatch(message);
  });

  it('the real process exits with status 2 and writes the message to stderr', () => {
    const p = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--accel', 'nope'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(p.status).toBe(2);
    expect(p.stdout).toBe('');
    expect(p.stderr).toMatch(/effectual: unknown accelerator 'nope'/);
    expect(p.stderr).toMatch(/Run with --help for usage/);
  });
});
