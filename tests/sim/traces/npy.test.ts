import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NpyError, readNpy, writeNpy, type NpyTypedArray } from '../../../src/sim/traces/npy';

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Files written by numpy 2.4 (np.save / np.lib.format.write_array), base64. */
const NUMPY = {
  // np.arange(6, dtype='<f4').reshape(2, 3) * 0.5 - 1
  f4_2x3:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIC/AAAAvwAAAAAAAAA/AACAPwAAwD8=',
  // np.array([1, -2, 300, -32768], dtype='>i2')
  be_i2_4:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPmkyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDQsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAf/+ASyAAA==',
  // np.arange(8, dtype='u1').reshape(2, 2, 2) * 30
  u1_2x2x2:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAHjxaeJa00g==',
  // np.array(3.25, dtype='<f8')
  f8_scalar:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAKQA==',
  // np.array([True, False, True])
  bool_3:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=',
  // np.array([1.5, -0.25, 65504], dtype='<f2')
  f2_3: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAPgC0/3s=',
  // np.array([-5, 2**40], dtype='<i8')
  i8_2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAr7/////////wAAAAAAAQAA',
  // write_array(np.array([[1.25, -3.5]], dtype='>f4'), version=(2, 0))
  be_f4_v2:
    'k05VTVBZAgB0AAAAeydkZXNjcic6ICc+ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/oAAAwGAAAA==',
  // write_array(np.array([7.0], dtype='<f4'), version=(3, 0))
  f4_v3:
    'k05VTVBZAwB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMSwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAOBA',
  // np.asfortranarray(np.arange(6, dtype='<f4').reshape(2, 3))
  fortran:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQAAAgD8AAIBAAAAAQAAAoEA=',
  // np.zeros((0, 3), dtype='<f4')
  empty_0x3:
    'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDAsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo=',
};

/** A .npy file assembled by hand: magic, version, header length, dict text, data bytes. */
function handMade(version: 1 | 2 | 3, dict: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const lenBytes = version === 1 ? 2 : 4;
  const header = new TextEncoder().encode(dict);
  const out = new Uint8Array(8 + lenBytes + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  out.set(header, 8 + lenBytes);
  out.set(data, 8 + lenBytes + header.length);
  return out;
}

function bytesOf(fill: (v: DataView) => void, n: number): Uint8Array {
  const b = new Uint8Array(n);
  fill(new DataView(b.buffer));
  return b;
}

describe('readNpy on files written by numpy', () => {
  it('reads float32, big-endian int16, uint8, a float64 scalar, bool, float16, int64', () => {
    const f4 = readNpy(b64(NUMPY.f4_2x3));
    expect(f4.descr).toBe('<f4');
    expect(f4.shape).toEqual([2, 3]);
    expect(Array.from(f4.data as Float32Array)).toEqual([-1, -0.5, 0, 0.5, 1, 1.5]);

    const i2 = readNpy(b64(NUMPY.be_i2_4));
    expect(i2.descr).toBe('>i2');
    expect(i2.data).toBeInstanceOf(Int16Array);
    expect(Array.from(i2.data as Int16Array)).toEqual([1, -2, 300, -32768]);

    const u1 = readNpy(b64(NUMPY.u1_2x2x2));
    expect(u1.descr).toBe('|u1');
    expect(u1.shape).toEqual([2, 2, 2]);
    expect(Array.from(u1.data as Uint8Array)).toEqual([0, 30, 60, 90, 120, 150, 180, 210]);

    const f8 = readNpy(b64(NUMPY.f8_scalar));
    expect(f8.shape).toEqual([]);
    expect(Array.from(f8.data as Float64Array)).toEqual([3.25]);

    const b1 = readNpy(b64(NUMPY.bool_3));
    expect(b1.descr).toBe('|b1');
    expect(Array.from(b1.data as Uint8Array)).toEqual([1, 0, 1]);

    const f2 = readNpy(b64(NUMPY.f2_3));
    expect(Array.from(f2.data as Float32Array)).toEqual([1.5, -0.25, 65504]);

    const i8 = readNpy(b64(NUMPY.i8_2));
    expect(Array.from(i8.data as BigInt64Array)).toEqual([-5n, 2n ** 40n]);
  });

  it('reads format versions 2.0 (big-endian float32) and 3.0', () => {
    const v2 = readNpy(b64(NUMPY.be_f4_v2));
    expect(v2.version).toBe(2);
    expect(v2.shape).toEqual([1, 2]);
    expect(Array.from(v2.data as Float32Array)).toEqual([1.25, -3.5]);
    const v3 = readNpy(b64(NUMPY.f4_v3));
    expect(v3.version).toBe(3);
    expect(Array.from(v3.data as Float32Array)).toEqual([7]);
  });

  it('reads an empty (0 x 3) array', () => {
    const e = readNpy(b64(NUMPY.empty_0x3));
    expect(e.shape).toEqual([0, 3]);
    expect(e.data.length).toBe(0);
  });

  it('rejects fortran_order with a message naming it', () => {
    expect(() => readNpy(b64(NUMPY.fortran), { name: 'wgt-fc.npy' })).toThrow(
      /wgt-fc\.npy: fortran_order is True/,
    );
  });
});

describe('writeNpy matches numpy byte for byte', () => {
  it.each([
    ['f4_2x3', () => writeNpy({ data: new Float32Array([-1, -0.5, 0, 0.5, 1, 1.5]), shape: [2, 3] })],
    [
      'be_i2_4',
      () => writeNpy({ data: new Int16Array([1, -2, 300, -32768]), shape: [4] }, { byteOrder: '>' }),
    ],
    [
      'u1_2x2x2',
      () => writeNpy({ data: new Uint8Array([0, 30, 60, 90, 120, 150, 180, 210]), shape: [2, 2, 2] }),
    ],
    ['f8_scalar', () => writeNpy({ data: new Float64Array([3.25]), shape: [] })],
    ['bool_3', () => writeNpy({ data: new Uint8Array([1, 0, 1]), shape: [3] }, { bool: true })],
    ['i8_2', () => writeNpy({ data: new BigInt64Array([-5n, 2n ** 40n]), shape: [2] })],
    [
      'be_f4_v2',
      () => writeNpy({ data: new Float32Array([1.25, -3.5]), shape: [1, 2] }, { byteOrder: '>', version: 2 }),
    ],
    ['f4_v3', () => writeNpy({ data: new Float32Array([7]), shape: [1] }, { version: 3 })],
  ] as const)('%s', (key, write) => {
    expect(Buffer.from(write()).toString('base64')).toBe(NUMPY[key]);
  });
});

describe('readNpy on hand-made headers', () => {
  it('v1: double quotes, keys in any order, no trailing comma, Python 2 long suffix', () => {
    const data = bytesOf((v) => [0.5, -2, 8].forEach((x, i) => v.setFloat32(4 * i, x, true)), 12);
    const a = readNpy(handMade(1, `{"shape": (3L,), "fortran_order": False, "descr": "<f4"}\n`, data));
    expect(a.shape).toEqual([3]);
    expect(Array.from(a.data as Float32Array)).toEqual([0.5, -2, 8]);
  });

  it('v2: big-endian int32 and float64 decoded like DataView does', () => {
    const ints = bytesOf(
      (v) => [7, -1, 2 ** 31 - 1, -(2 ** 31)].forEach((x, i) => v.setInt32(4 * i, x, false)),
      16,
    );
    const a = readNpy(handMade(2, "{'descr': '>i4', 'fortran_order': False, 'shape': (2, 2), }", ints));
    expect(a.version).toBe(2);
    expect(Array.from(a.data as Int32Array)).toEqual([7, -1, 2 ** 31 - 1, -(2 ** 31)]);
    const dbl = bytesOf((v) => v.setFloat64(0, -1e-300, false), 8);
    const d = readNpy(handMade(2, "{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", dbl));
    expect((d.data as Float64Array)[0]).toBe(-1e-300);
  });

  it('little-endian <i2, <u4 and >u8', () => {
    const i2 = bytesOf((v) => v.setInt16(0, -300, true), 2);
    expect(
      Array.from(
        readNpy(handMade(1, "{'descr': '<i2', 'fortran_order': False, 'shape': (1,)}", i2))
          .data as Int16Array,
      ),
    ).toEqual([-300]);
    const u4 = bytesOf((v) => v.setUint32(0, 4e9, true), 4);
    expect(
      Array.from(
        readNpy(handMade(1, "{'descr': '<u4', 'fortran_order': False, 'shape': (1,)}", u4))
          .data as Uint32Array,
      ),
    ).toEqual([4e9]);
    const u8 = bytesOf((v) => v.setBigUint64(0, 2n ** 63n + 5n, false), 8);
    const r = readNpy(handMade(1, "{'descr': '>u8', 'fortran_order': False, 'shape': (1,)}", u8));
    expect(Array.from(r.data as BigUint64Array)).toEqual([2n ** 63n + 5n]);
  });
});

describe('readNpy errors name the problem', () => {
  const ok = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
  const eight = new Uint8Array(8);
  const cases: Array<[string, () => Uint8Array, RegExp, object?]> = [
    ['bad magic', () => new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x5a, 1, 0, 0, 0, 0]), /bad magic/],
    ['short file', () => new Uint8Array([0x93, 0x4e]), /bad magic/],
    [
      'version 4.0',
      () => handMade(1, ok, eight).map((b, i) => (i === 6 ? 4 : b)),
      /unsupported \.npy format version 4\.0/,
    ],
    [
      'truncated data',
      () => handMade(1, ok, new Uint8Array(5)),
      /truncated data .*needs 8 bytes, file holds 5/,
    ],
    ['trailing bytes', () => handMade(1, ok, new Uint8Array(11)), /3 unexpected bytes after the data/],
    ['truncated header', () => handMade(1, ok).subarray(0, 30), /truncated header/],
    [
      'fortran order',
      () => handMade(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,)}", eight),
      /fortran_order is True/,
    ],
    [
      'absurd shape',
      () => handMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000, 100000)}"),
      /more than 268435456 elements/,
    ],
    [
      'element cap',
      () => handMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4)}"),
      /more than 10 elements/,
      { maxElements: 10 },
    ],
    [
      'huge integer',
      () => handMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}"),
      /too large/,
    ],
    [
      'negative dim',
      () => handMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}"),
      /invalid dimension -1/,
    ],
    [
      'structured dtype',
      () => handMade(1, "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}"),
      /structured/,
    ],
    [
      'complex dtype',
      () => handMade(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}"),
      /unsupported dtype '<c8'/,
    ],
    [
      'native order',
      () => handMade(1, "{'descr': '=f4', 'fortran_order': False, 'shape': (1,)}"),
      /native byte order/,
    ],
    [
      'missing key',
      () => handMade(1, "{'descr': '<f4', 'shape': (1,)}"),
      /expected \[descr, fortran_order, shape\]/,
    ],
    [
      'extra key',
      () => handMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'x': 1}"),
      /header keys/,
    ],
    ['not a dict', () => handMade(1, "('<f4', False)"), /not a dict/],
    ['malformed', () => handMade(1, "{'descr': '<f4' 'fortran_order': False}"), /expected ',' or '}'/],
    [
      'list shape',
      () => handMade(1, "{'descr': '<f4', 'fortran_order': False, 'shape': [2]}"),
      /'shape' is not a tuple/,
    ],
    [
      'bad bool',
      () => handMade(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (1,)}", new Uint8Array([2])),
      /boolean data/,
    ],
  ];
  it.each(cases)('%s', (_label, make, message, opts) => {
    expect(() => readNpy(make(), { name: 'act-x-0.npy', ...opts })).toThrow(NpyError);
    expect(() => readNpy(make(), { name: 'act-x-0.npy', ...opts })).toThrow(message);
  });

  it('refuses a header above the limit before reading it', () => {
    const big = new Uint8Array(12);
    big.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0]);
    new DataView(big.buffer).setUint32(8, 5_000_000, true);
    expect(() => readNpy(big, { name: 'w.npy' })).toThrow(
      /w\.npy: header too large \(5000000 bytes; limit 10000\)/,
    );
  });

  it('prefixes messages with the file name', () => {
    expect(() => readNpy(handMade(1, ok, new Uint8Array(5)), { name: 'wgt-conv1.npy' })).toThrow(
      /^wgt-conv1\.npy: /,
    );
  });
});

type Dt = { ctor: new (n: number) => NpyTypedArray; size: number; bool?: boolean; get: string };
const DTYPES: Dt[] = [
  { ctor: Float32Array, size: 4, get: 'getFloat32' },
  { ctor: Float64Array, size: 8, get: 'getFloat64' },
  { ctor: Int8Array, size: 1, get: 'getInt8' },
  { ctor: Int16Array, size: 2, get: 'getInt16' },
  { ctor: Int32Array, size: 4, get: 'getInt32' },
  { ctor: BigInt64Array, size: 8, get: 'getBigInt64' },
  { ctor: Uint8Array, size: 1, get: 'getUint8' },
  { ctor: Uint8Array, size: 1, get: 'getUint8', bool: true },
  { ctor: Uint16Array, size: 2, get: 'getUint16' },
  { ctor: Uint32Array, size: 4, get: 'getUint32' },
  { ctor: BigUint64Array, size: 8, get: 'getBigUint64' },
];

describe('writeNpy / readNpy round trip (property)', () => {
  it('preserves shape, dtype and every byte; the file decodes independently with DataView', () => {
    const arb = fc
      .record({
        dt: fc.constantFrom(...DTYPES),
        shape: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 }),
        order: fc.constantFrom<'<' | '>'>('<', '>'),
        version: fc.constantFrom<1 | 2 | 3 | undefined>(1, 2, 3, undefined),
        seed: fc.uint8Array({ minLength: 8 * 256, maxLength: 8 * 256 }),
      })
      .map((r) => {
        const n = r.shape.reduce((a, b) => a * b, 1);
        const data = new r.dt.ctor(n);
        const raw = new Uint8Array(data.buffer);
        for (let i = 0; i < raw.length; i++) raw[i] = r.dt.bool ? r.seed[i] & 1 : r.seed[i];
        return { ...r, data };
      });
    fc.assert(
      fc.property(arb, ({ dt, shape, order, version, data }) => {
        const file = writeNpy({ data, shape }, { byteOrder: order, version, bool: dt.bool });
        const back = readNpy(file);
        expect(back.shape).toEqual(shape);
        expect(back.data.constructor).toBe(dt.ctor);
        expect(back.version).toBe(version ?? 1);
        expect(Buffer.from(back.data.buffer).equals(Buffer.from(data.buffer))).toBe(true);
        const kind = dt.bool ? 'b' : dt.get.includes('Float') ? 'f' : dt.get.includes('Uint') ? 'u' : 'i';
        expect(back.descr).toBe(`${dt.size === 1 ? '|' : order}${kind}${dt.size}`);
        // Data starts on a 64-byte boundary and the header ends with a newline, as numpy writes it.
        const dataStart = file.length - data.length * dt.size;
        expect(dataStart % 64).toBe(0);
        expect(file[dataStart - 1]).toBe(0x0a);
        const view = new DataView(file.buffer, file.byteOffset + dataStart);
        const getter = view[dt.get as 'getFloat64'].bind(view) as (o: number, le: boolean) => number | bigint;
        for (let i = 0; i < data.length; i++) {
          const v = getter(i * dt.size, order === '<');
          if (typeof v === 'number' && Number.isNaN(v)) expect(Number.isNaN(Number(data[i]))).toBe(true);
          else expect(v).toBe(data[i]);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('refuses data that does not fill the shape', () => {
    expect(() => writeNpy({ data: new Float32Array(5), shape: [2, 3] })).toThrow(
      /needs 6 elements, data has 5/,
    );
  });
});
