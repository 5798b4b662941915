/**
 * .npy reader and DNNsim trace-folder loader under hostile files (issue 9): every damaged, foreign or
 * hostile input is rejected with an NpyError or TraceFormatError naming the file and the problem, never a
 * raw TypeError/RangeError, within the hang bound; whatever still loads is sane.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  exportTraceFolder,
  loadTraceFolder,
  type TraceExportLayer,
  type TraceFiles,
  type TraceFolder,
  type TraceLoadOptions,
} from '../../src/sim/traces/folder';
import { NpyError, readNpy, writeNpy, type NpyArray, type NpyReadOptions } from '../../src/sim/traces/npy';
import { TraceFormatError } from '../../src/sim/traces/params';
import { mulberry32 } from '../../src/sim/prng';
import { anyString, SCRIPT_STRINGS } from './linkArbitraries';
import { HANG_BOUND_MS, WorstCase } from './timing';

const worstNpy = new WorstCase('readNpy');
const worstFolder = new WorstCase('loadTraceFolder');

afterAll(() => {
  console.log(worstNpy.summary());
  console.log(worstFolder.summary());
});

const text = (s: string) => new TextEncoder().encode(s);

function randomFloats(n: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  return Float32Array.from({ length: n }, () => 4 * rng() - 2);
}

const LAYERS: TraceExportLayer[] = [
  {
    name: 'conv1',
    geometry: { kind: 'conv', C: 2, H: 5, W: 5, K: 3, Kh: 3, Kw: 3, stride: 1, pad: 1 },
    actsFloat: [randomFloats(50, 1), randomFloats(50, 2)],
    weightsFloat: randomFloats(54, 3),
    precision: { actMag: 4, actFrac: 4, wgtMag: 1, wgtFrac: 7 },
  },
  {
    name: 'conv2',
    geometry: { kind: 'conv', C: 3, H: 5, W: 5, K: 4, Kh: 3, Kw: 3, stride: 2, pad: 0 },
    actsFloat: [randomFloats(75, 4), randomFloats(75, 5)],
    weightsFloat: randomFloats(108, 6),
    precision: { actMag: 5, actFrac: 3, wgtMag: 2, wgtFrac: 6 },
  },
  {
    name: 'fc',
    geometry: { kind: 'fc', C: 16, H: 1, W: 1, K: 5, Kh: 1, Kw: 1, stride: 1, pad: 0 },
    actsFloat: [randomFloats(16, 7), randomFloats(16, 8)],
    weightsFloat: randomFloats(80, 9),
    precision: { actMag: 6, actFrac: 2, wgtMag: 1, wgtFrac: 5 },
  },
];
const FOLDER = exportTraceFolder(LAYERS);
const NPY_NAMES = [...FOLDER.keys()].filter((n) => n.endsWith('.npy'));

const NPY_SEEDS: Array<[string, Uint8Array]> = [
  ['f4 v1', writeNpy({ data: randomFloats(24, 10), shape: [2, 3, 4] })],
  [
    'f8 big-endian',
    writeNpy({ data: Float64Array.from(randomFloats(6, 11)), shape: [6] }, { byteOrder: '>' }),
  ],
  ['i2 v2', writeNpy({ data: Int16Array.from([1, -2, 3, -4]), shape: [2, 2] }, { version: 2 })],
  [
    'u1 bool v3',
    writeNpy({ data: Uint8Array.from([0, 1, 1, 0, 1]), shape: [5] }, { version: 3, bool: true }),
  ],
  ['i8 scalar', writeNpy({ data: BigInt64Array.from([5n]), shape: [] })],
  ...NPY_NAMES.map((name): [string, Uint8Array] => [name, FOLDER.get(name) as Uint8Array]),
];

function memFiles(files: Map<string, Uint8Array>): TraceFiles {
  return {
    list: () => [...files.keys()],
    read: (name) => files.get(name) as Uint8Array,
  };
}

/** An .npy file with a hand-written header (padded like numpy's), optionally with a given version. */
function npyWithHeader(header: string, data: Uint8Array = new Uint8Array(0), version = 1): Uint8Array {
  const lenBytes = version === 1 ? 2 : 4;
  const body = text(`${header}\n`);
  const out = new Uint8Array(8 + lenBytes + body.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  let len = body.length;
  for (let b = 0; b < lenBytes; b++, len = Math.floor(len / 256)) out[8 + b] = len % 256;
  out.set(body, 8 + lenBytes);
  out.set(data, 8 + lenBytes + body.length);
  return out;
}

const HOSTILE_SHAPES = [
  '(2147483648,)',
  '(4611686018427387904, 4611686018427387904)',
  '(99999999999999999999,)',
  '(-1,)',
  '(1.5,)',
  "('a',)",
  `(${Array(65).fill(1).join(', ')})`,
  `${'('.repeat(40)}1,${')'.repeat(40)}`,
  '[2, 3]',
  '(3, 0)',
  '()',
  '(None,)',
  '(True,)',
  "{'a': 1}",
  '(1, 2',
];
const HOSTILE_DESCRS = [
  "'<f16'",
  "'|O'",
  "'<U10'",
  "'=f4'",
  "'<c8'",
  "[('a', '<f4')]",
  "'<f4' '<f4'",
  '5',
  "'<f4\\''",
  "'>b1'",
  "'|i4'",
];

const hostileHeader = fc
  .tuple(
    fc.constantFrom(...HOSTILE_SHAPES, '(3,)', '(2, 2)'),
    fc.constantFrom(...HOSTILE_DESCRS, "'<f4'", "'<i8'"),
    fc.constantFrom('False', 'True', '0', 'None'),
    fc.constantFrom('', "'extra': 1, ", "'descr': '<f4', ", "'<img src=x onerror=alert(1)>': 1, "),
    fc.uint8Array({ maxLength: 64 }),
    fc.constantFrom(1, 2, 3),
  )
  .map(([shape, descr, fortran, extra, data, version]) => ({
    label: `header descr ${descr} shape ${shape.slice(0, 30)} fortran ${fortran} ${extra}`,
    bytes: npyWithHeader(
      `{${extra}'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`,
      data,
      version,
    ),
  }));

function timedRead(
  bytes: Uint8Array,
  label: string,
  opts: NpyReadOptions = {},
): { array: NpyArray } | { error: unknown } {
  let outcome: { array: NpyArray } | { error: unknown } = { error: undefined };
  const { ms } = worstNpy.time(label, () => {
    try {
      outcome = { array: readNpy(bytes, { name: 'probe.npy', ...opts }) };
    } catch (error) {
      outcome = { error };
    }
  });
  expect(ms, label).toBeLessThan(HANG_BOUND_MS);
  return outcome;
}

function expectNpyOutcome(bytes: Uint8Array, label: string): void {
  const outcome = timedRead(bytes, label);
  if ('array' in outcome) {
    const { shape, data } = outcome.array;
    for (const d of shape) expect(Number.isSafeInteger(d) && d >= 0, label).toBe(true);
    expect(data.length, label).toBe(shape.reduce((a, b) => a * b, 1));
    return;
  }
  const error = outcome.error;
  if (!(error instanceof NpyError)) throw new Error(`${label}: expected an NpyError, got ${String(error)}`);
  expect(error.message, label).toMatch(/^probe\.npy: ./);
}

describe('readNpy on damaged, foreign and hostile files', () => {
  it('truncations, bit flips and byte overwrites of valid files', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...NPY_SEEDS),
        fc.nat(),
        fc.array(
          fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 }), fc.option(fc.integer({ min: 0, max: 255 }))),
          { maxLength: 6 },
        ),
        ([name, seed], cut, edits) => {
          const bytes = seed.slice(0, edits.length === 0 ? cut % seed.length : seed.length);
          for (const [at, bit, value] of edits) {
            const i = at % bytes.length;
            bytes[i] = value ?? bytes[i] ^ (1 << bit);
          }
          expectNpyOutcome(bytes, `${name} cut ${cut} edits ${edits.length}`);
        },
      ),
      { seed: 42, numRuns: 600 },
    );
  });

  it('hostile headers: huge, negative, non-integer and deeply nested shapes, odd dtypes, extra keys', () => {
    fc.assert(
      fc.property(hostileHeader, ({ label, bytes }) => expectNpyOutcome(bytes, label)),
      { seed: 42, numRuns: 400 },
    );
  });

  it('header cases with a specific message', () => {
    const cases: Array<[string, Uint8Array, RegExp]> = [
      [
        '2^31 elements',
        npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648,), }"),
        /more than 268435456 elements.*option maxElements/,
      ],
      [
        'int64 overflow',
        npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }"),
        /too large/,
      ],
      [
        'negative',
        npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }"),
        /invalid dimension -1/,
      ],
      [
        '65 dims',
        npyWithHeader(
          `{'descr': '<f4', 'fortran_order': False, 'shape': (${Array(65).fill(1).join(', ')}), }`,
        ),
        /65 dimensions/,
      ],
      [
        'deep nesting',
        npyWithHeader(
          `{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(40)}1,${')'.repeat(40)}, }`,
        ),
        /nests too deeply/,
      ],
      [
        'object dtype',
        npyWithHeader("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"),
        /unsupported dtype '\|O'/,
      ],
      ['fortran', npyWithHeader("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }"), /fortran_order/],
      [
        'version 4',
        Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 4, 0, 0, 0, 0]),
        /unsupported \.npy format version 4\.0/,
      ],
      [
        'declared header 4 GiB',
        Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 255, 255, 255, 255]),
        /header too large.*maxHeaderBytes/,
      ],
      [
        'short data',
        npyWithHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", new Uint8Array(8)),
        /truncated data.*needs 12 bytes, file holds 8/,
      ],
      ['PNG', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), /not a \.npy file/],
      ['JSON', text('{"descr": "<f4", "shape": [1]}'), /not a \.npy file/],
      ['empty', new Uint8Array(0), /not a \.npy file/],
    ];
    for (const [label, bytes, message] of cases) {
      const outcome = timedRead(bytes, label);
      expect('error' in outcome && outcome.error instanceof NpyError, label).toBe(true);
      if ('error' in outcome) expect((outcome.error as Error).message, label).toMatch(message);
    }
  });

  it('foreign files and random bytes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }),
          anyString(200).map(text),
          fc
            .uint8Array({ maxLength: 200 })
            .map((tail) => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, ...tail])),
        ),
        (bytes) => expectNpyOutcome(bytes, `random ${bytes.length} bytes`),
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});

type FolderOutcome = { folder: TraceFolder } | { error: unknown };

function timedLoad(files: Map<string, Uint8Array>, label: string, opts?: TraceLoadOptions): FolderOutcome {
  let outcome: FolderOutcome = { error: undefined };
  const { ms } = worstFolder.time(label, () => {
    try {
      outcome = { folder: loadTraceFolder(memFiles(files), opts) };
    } catch (error) {
      outcome = { error };
    }
  });
  expect(ms, label).toBeLessThan(HANG_BOUND_MS);
  return outcome;
}

/** Loads or fails with one of the loader's own errors; a loaded folder is one the simulators can take. */
function expectFolderOutcome(files: Map<string, Uint8Array>, label: string): void {
  const outcome = timedLoad(files, label);
  if ('error' in outcome) {
    const error = outcome.error;
    if (!(error instanceof TraceFormatError) && !(error instanceof NpyError)) {
      throw new Error(
        `${label}: expected TraceFormatError or NpyError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
    }
    expect((error as Error).message.length, label).toBeGreaterThan(15);
    return;
  }
  for (const layer of outcome.folder.layers) {
    const g = layer.geometry;
    for (const v of [g.C, g.H, g.W, g.K, g.Kh, g.Kw, g.stride])
      expect(Number.isSafeInteger(v) && v > 0, `${label} ${layer.name}`).toBe(true);
    expect(Number.isSafeInteger(g.pad) && g.pad >= 0, label).toBe(true);
    expect(layer.weights.length, label).toBe(g.K * g.C * g.Kh * g.Kw);
    expect(layer.acts.length, label).toBeGreaterThan(0);
    for (const a of layer.acts) expect(a.length, label).toBe(g.C * g.H * g.W);
    for (const codes of [layer.weights, ...layer.acts])
      expect(
        codes.every((c) => Math.abs(c) <= 32767),
        label,
      ).toBe(true);
  }
}

const CSV_TOKENS = [
  '',
  '0',
  '-1',
  '1.5',
  'abc',
  '99999999999999999999',
  '9007199254740993',
  '1e3',
  ' 3 ',
  '+2',
  '1000000000',
  ...SCRIPT_STRINGS,
];

const csvMutation = fc.oneof(
  fc
    .tuple(fc.nat(), fc.nat(), fc.constantFrom(...CSV_TOKENS))
    .map(([line, column, token]) => (csv: string) => {
      const lines = csv.split('\n');
      const i = line % lines.length;
      const fields = lines[i].split(',');
      fields[column % fields.length] = token;
      lines[i] = fields.join(',');
      return lines.join('\n');
    }),
  fc.nat().map((line) => (csv: string) => {
    const lines = csv.split('\n');
    lines.splice(line % lines.length, 0, lines[line % lines.length]);
    return lines.join('\n');
  }),
  fc.nat().map((line) => (csv: string) => {
    const lines = csv.split('\n');
    lines.splice(line % lines.length, 1);
    return lines.join('\n');
  }),
  fc.tuple(fc.nat(), anyString(40)).map(([line, junk]) => (csv: string) => {
    const lines = csv.split('\n');
    lines.splice(line % (lines.length + 1), 0, junk);
    return lines.join('\n');
  }),
  fc.constantFrom(
    (csv: string) => `\uFEFF${csv.replace(/\n/g, '\r\n')}`,
    (csv: string) => `name,K,Kx,Ky,stride,padding\n${csv}`,
    (csv: string) => csv.replace(/,/g, ';'),
    () => '',
  ),
);

const fileMutation = fc.oneof(
  fc.nat().map((cut) => (bytes: Uint8Array) => bytes.slice(0, cut % (bytes.length + 1))),
  fc
    .array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 6 })
    .map((flips) => (bytes: Uint8Array) => {
      const out = bytes.slice();
      for (const [at, bit] of flips) if (out.length > 0) out[at % out.length] ^= 1 << bit;
      return out;
    }),
  hostileHeader.map(
    ({ bytes }) =>
      () =>
        bytes,
  ),
  fc
    .tuple(
      fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 0, maxLength: 5 }),
      fc.constantFrom(0, NaN, Infinity, -Infinity, 1e30, -1e-40),
    )
    .map(
      ([shape, fill]) =>
        () =>
          writeNpy({ data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(fill), shape }),
    ),
  fc.constantFrom(
    () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    () => text('{"not": "npy"}'),
    () => text('just some text\n'),
    () => new Uint8Array(0),
  ),
);

const folderMutation: fc.Arbitrary<[string, (files: Map<string, Uint8Array>) => void]> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...NPY_NAMES), fileMutation)
    .map(([name, mutate]): [string, (files: Map<string, Uint8Array>) => void] => [
      `mutated ${name}`,
      (files) => {
        const bytes = files.get(name);
        if (bytes) files.set(name, mutate(bytes));
      },
    ]),
  csvMutation.map((mutate): [string, (files: Map<string, Uint8Array>) => void] => [
    'mutated trace_params.csv',
    (files) => {
      const csv = files.get('trace_params.csv');
      if (csv) files.set('trace_params.csv', text(mutate(new TextDecoder().decode(csv))));
    },
  ]),
  fc
    .tuple(
      fc.nat(),
      fc.nat(),
      fc.constantFrom('', '-999', '1000', '17', '-1', 'x', '99999999999999999999', ';;;', '4;4;4;4;4;4'),
    )
    .map(([line, entry, token]): [string, (files: Map<string, Uint8Array>) => void] => [
      `precision.txt token ${token}`,
      (files) => {
        const precision = files.get('precision.txt');
        if (!precision) return;
        const lines = new TextDecoder().decode(precision).split('\n');
        const i = line % lines.length;
        const entries = lines[i].split(';');
        entries[entry % entries.length] = token;
        lines[i] = entries.join(';');
        files.set('precision.txt', text(lines.join('\n')));
      },
    ]),
  fc
    .constantFrom(...[...FOLDER.keys()])
    .map((name): [string, (files: Map<string, Uint8Array>) => void] => [
      `without ${name}`,
      (files) => files.delete(name),
    ]),
  fc
    .tuple(fc.constantFrom(...[...FOLDER.keys()]), fc.constantFrom('copy/', 'a\\b\\'))
    .map(([name, dir]): [string, (files: Map<string, Uint8Array>) => void] => [
      `ambiguous ${dir}${name}`,
      (files) => files.set(`${dir}${name}`, files.get(name) ?? new Uint8Array(0)),
    ]),
  fc
    .tuple(anyString(20), fc.uint8Array({ maxLength: 64 }))
    .map(([name, bytes]): [string, (files: Map<string, Uint8Array>) => void] => [
      `extra file ${JSON.stringify(name)}`,
      (files) => files.set(`act-${name}-0.npy`, bytes),
    ]),
);

describe('loadTraceFolder on damaged and hostile folders', () => {
  it('loads the exported folder', () => {
    const outcome = timedLoad(new Map(FOLDER), 'exported');
    expect('folder' in outcome).toBe(true);
    if ('folder' in outcome)
      expect(outcome.folder.layers.map((l) => l.name)).toEqual(['conv1', 'conv2', 'fc']);
  });

  it('one to three mutations of files, trace_params.csv, precision.txt and the file list', () => {
    fc.assert(
      fc.property(fc.array(folderMutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const files = new Map(FOLDER);
        for (const [, mutate] of mutations) mutate(files);
        expectFolderOutcome(files, mutations.map(([label]) => label).join(' + '));
      }),
      { seed: 42, numRuns: 1100 },
    );
  });

  it('errors that name the file and the problem', () => {
    const cases: Array<[string, (files: Map<string, Uint8Array>) => void, RegExp]> = [
      [
        'zero kernel',
        (f) => f.set('wgt-conv2.npy', writeNpy({ data: new Float32Array(0), shape: [4, 3, 0, 3] })),
        /wgt-conv2\.npy: shape \(4, 3, 0, 3\) has a zero dimension/,
      ],
      [
        'zero channels',
        (f) => f.set('act-conv1-0.npy', writeNpy({ data: new Float32Array(0), shape: [2, 0, 5, 5] })),
        /layer 'conv1'.*zero dimension|conv1/,
      ],
      [
        'NaN activation',
        (f) =>
          f.set('act-conv1-0.npy', writeNpy({ data: new Float32Array(100).fill(NaN), shape: [2, 2, 5, 5] })),
        /act-conv1-0\.npy: element 0 is NaN/,
      ],
      [
        'stride 10^9',
        (f) => f.set('trace_params.csv', text('conv1,3,3,3,1000000000,1\nconv2,4,3,3,2,0\nfc,5,1,1,1,0\n')),
        /conv1.*stride 1000000000.*option maxElements/,
      ],
      [
        'padding 10^9',
        (f) => f.set('trace_params.csv', text('conv1,3,3,3,1,1000000000\nconv2,4,3,3,2,0\nfc,5,1,1,1,0\n')),
        /conv1.*padding 1000000000.*option maxElements/,
      ],
      [
        'padding beyond 2^53',
        (f) => f.set('trace_params.csv', text('conv1,3,3,3,1,99999999999999999999\n')),
        /line 1: padding .* is too large/,
      ],
      [
        'duplicate layer',
        (f) => f.set('trace_params.csv', text('conv1,3,3,3,1,1\nconv1,3,3,3,1,1\n')),
        /line 2: layer name 'conv1' appears twice/,
      ],
      [
        'script-like layer name',
        (f) => f.set('trace_params.csv', text('<img src=x onerror=alert(1)>,3,3,3,1,1\n')),
        /no act-<img src=x onerror=alert\(1\)>-<n>\.npy for the first layer/,
      ],
      [
        'weights as PNG',
        (f) => f.set('wgt-fc.npy', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0, 0])),
        /wgt-fc\.npy: not a \.npy file/,
      ],
      ['no trace_params.csv', (f) => f.delete('trace_params.csv'), /no trace_params\.csv/],
    ];
    for (const [label, mutate, message] of cases) {
      const files = new Map(FOLDER);
      mutate(files);
      const outcome = timedLoad(files, label);
      expect('error' in outcome, label).toBe(true);
      if ('error' in outcome) expect(String((outcome.error as Error).message), label).toMatch(message);
    }
  });

  it('a 50,000-line trace_params.csv is read in bounded time (duplicate detection is linear)', () => {
    const files = new Map(FOLDER);
    const lines = Array.from({ length: 50_000 }, (_, i) => `layer${i},1,1,1,1,0`);
    files.set('trace_params.csv', text(`conv1,3,3,3,1,1\n${lines.join('\n')}\n`));
    const outcome = timedLoad(files, '50,000 layers');
    expect('error' in outcome && (outcome.error as Error).message).toMatch(
      /precision\.txt line 2: 3 activation magnitude entries for 50001 layers/,
    );
  });
});
