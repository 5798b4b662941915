import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  dnnsimLayerType,
  formatPrecisionTxt,
  formatTraceParams,
  parseModelCsv,
  parsePrecisionTxt,
  parseTraceParams,
  TraceFormatError,
  type LayerPrecision,
} from '../../../src/sim/traces/params';

describe('parseTraceParams', () => {
  it('reads DNNsim lines without a header, 6 and 7 fields', () => {
    const rows = parseTraceParams('conv1,64,7,7,2,3\nres2a,data,256,1,1,1,0\n');
    expect(rows).toEqual([
      { name: 'conv1', input: undefined, K: 64, Kx: 7, Ky: 7, stride: 2, padding: 3, line: 1 },
      { name: 'res2a', input: 'data', K: 256, Kx: 1, Ky: 1, stride: 1, padding: 0, line: 2 },
    ]);
  });

  it('accepts a header line, CRLF, spaces and blank lines', () => {
    const rows = parseTraceParams(
      'name,K,Kx,Ky,stride,padding\r\n\r\n conv1 , 16, 3, 3, 1, 1\r\nfc,10,1,1,1,0\r\n',
    );
    expect(rows.map((r) => [r.name, r.K, r.Kx, r.line])).toEqual([
      ['conv1', 16, 3, 3],
      ['fc', 10, 1, 4],
    ]);
  });

  it.each([
    ['conv1,16,3,3,1\n', /trace_params\.csv line 1: expected 6 fields .* got 5/],
    ['conv1,16,3,3,1,1\nconv2,16,x,3,1,1\n', /line 2: Kx 'x' is not an integer/],
    ['conv1,16,3,3,1,1\nname,K,Kx,Ky,stride,padding\n', /line 2: K 'K' is not an integer/],
    ['conv1,0,3,3,1,1\n', /line 1: K must be >= 1, got 0/],
    ['conv1,16,3,3,0,1\n', /line 1: stride must be >= 1, got 0/],
    ['conv1,16,3,3,1,-1\n', /line 1: padding must be >= 0, got -1/],
    ['conv1,16,3,3,1,1\nconv1,16,3,3,1,1\n', /line 2: layer name 'conv1' appears twice/],
    [',16,3,3,1,1\n', /line 1: empty layer name/],
    ['conv1,16,3.5,3,1,1\n', /Kx '3\.5' is not an integer/],
    ['name,K,Kx,Ky,stride,padding\n', /trace_params\.csv: no layers/],
  ])('rejects %j', (text, message) => {
    expect(() => parseTraceParams(text)).toThrow(TraceFormatError);
    expect(() => parseTraceParams(text)).toThrow(message);
  });

  it('round-trips formatTraceParams (property)', () => {
    const row = fc.record({
      name: fc.stringMatching(/^[a-z][a-z0-9_.]{0,8}$/),
      K: fc.integer({ min: 1, max: 4096 }),
      Kx: fc.integer({ min: 1, max: 11 }),
      Ky: fc.integer({ min: 1, max: 11 }),
      stride: fc.integer({ min: 1, max: 4 }),
      padding: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(row, { minLength: 1, maxLength: 6, selector: (r) => r.name }), (rows) => {
        const back = parseTraceParams(formatTraceParams(rows));
        expect(back.map(({ line: _l, input: _i, ...r }) => r)).toEqual(rows);
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('parseModelCsv (DNNsim HEAD)', () => {
  it('reads name,type,stride,padding with an optional header', () => {
    expect(parseModelCsv('layer,type,stride,padding\nconv1,conv,2,3\nfc,fc,1,0\n')).toEqual([
      { name: 'conv1', type: 'conv', stride: 2, padding: 3, line: 2 },
      { name: 'fc', type: 'fc', stride: 1, padding: 0, line: 3 },
    ]);
  });
  it('rejects unknown types and bad numbers with the line', () => {
    expect(() => parseModelCsv('conv1,pool,1,0\n')).toThrow(/model\.csv line 1: type 'pool'/);
    expect(() => parseModelCsv('conv1,conv,1,0\nconv2,conv,0,0\n')).toThrow(/model\.csv line 2: stride '0'/);
  });
});

// The README example of DNNsim (isakedo/DNNsim README.md, "Set up directories").
const README_PRECISION = `magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction
9;9;8;9;9;8;6;4;
-1;-2;-3;-3;-3;-3;-1;0;
2;1;1;1;1;-3;-4;-1;
7;8;7;8;8;9;8;8;
`;
const EIGHT = ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7', 'l8'];

describe('parsePrecisionTxt', () => {
  it("reads DNNsim's README example column by column", () => {
    const { precisions, warnings } = parsePrecisionTxt(README_PRECISION, EIGHT);
    expect(warnings).toEqual([]);
    expect(precisions[0]).toEqual({ actMag: 9, actFrac: -1, wgtMag: 2, wgtFrac: 7 });
    expect(precisions[5]).toEqual({ actMag: 8, actFrac: -3, wgtMag: -3, wgtFrac: 9 });
    expect(precisions[7]).toEqual({ actMag: 4, actFrac: 0, wgtMag: -1, wgtFrac: 8 });
    // Precisions P = mag + frac, as DNNsim's read_precision sets them.
    expect(precisions.map((p) => p.actMag + p.actFrac)).toEqual([8, 7, 5, 6, 6, 5, 5, 4]);
    expect(precisions.map((p) => p.wgtMag + p.wgtFrac)).toEqual([9, 9, 8, 9, 9, 6, 4, 7]);
  });

  it('accepts CRLF, spaces and no trailing semicolon; warns about extra entries', () => {
    const text = 'header\r\n 3 ; 4 \r\n1;1\r\n1;1\r\n7;7;9\r\n';
    const { precisions, warnings } = parsePrecisionTxt(text, ['a', 'b']);
    expect(precisions).toEqual([
      { actMag: 3, actFrac: 1, wgtMag: 1, wgtFrac: 7 },
      { actMag: 4, actFrac: 1, wgtMag: 1, wgtFrac: 7 },
    ]);
    expect(warnings).toEqual(['precision.txt line 5: 1 extra entries ignored (DNNsim ignores them too)']);
  });

  it.each([
    ['h\n1;\n1;\n1;\n', /line 5: missing the weight fraction line .*5 lines/],
    ['1;\n1;\n1;\n1;\n', /line 5: missing the weight fraction line/],
    ['h\n1;x;\n1;1;\n1;1;\n1;1;\n', /line 2: entry 2 'x' is not an integer/],
    ['h\n1;;1\n1;1;\n1;1;\n1;1;\n', /line 2: entry 2 '' is not an integer/],
    ['h\n1;\n1;1;\n1;1;\n1;1;\n', /line 2: 1 activation magnitude entries for 2 layers/],
    ['h\n1;1;\n-1;1;\n1;1;\n1;1;\n', /layer 1 'a' activations: mag 1 \+ frac -1 leaves no bits/],
    ['h\n1;1;\n1;1;\n1;9;\n1;9;\n', /layer 2 'b' weights: precision mag \+ frac = 18 exceeds 16 bits/],
  ])('rejects %j naming file and line', (text, message) => {
    expect(() => parsePrecisionTxt(text, ['a', 'b'])).toThrow(TraceFormatError);
    expect(() => parsePrecisionTxt(text, ['a', 'b'])).toThrow(message);
  });

  it('round-trips formatPrecisionTxt (property)', () => {
    const pair = fc
      .tuple(fc.integer({ min: 1, max: 16 }), fc.integer({ min: -4, max: 15 }))
      .filter(([m, f]) => m - 1 + f >= 0 && m + f <= 16);
    const layer = fc
      .tuple(pair, pair)
      .map(([a, w]): LayerPrecision => ({ actMag: a[0], actFrac: a[1], wgtMag: w[0], wgtFrac: w[1] }));
    fc.assert(
      fc.property(fc.array(layer, { minLength: 1, maxLength: 8 }), (ps) => {
        const names = ps.map((_, i) => `l${i}`);
        expect(parsePrecisionTxt(formatPrecisionTxt(ps), names).precisions).toEqual(ps);
      }),
      { seed: 42, numRuns: 200 },
    );
  });

  it('writes the README layout', () => {
    const text = formatPrecisionTxt([
      { actMag: 9, actFrac: -1, wgtMag: 2, wgtFrac: 7 },
      { actMag: 9, actFrac: -2, wgtMag: 1, wgtFrac: 8 },
    ]);
    expect(text).toBe(
      'magnitude (+1 of the sign), fraction, wgt_magnitude, wgt_fraction\n9;9;\n-1;-2;\n2;1;\n7;8;\n',
    );
  });
});

describe('dnnsimLayerType', () => {
  it.each([
    ['conv1', 'Convolution'],
    ['fc1000', 'InnerProduct'],
    ['inner_product', 'InnerProduct'],
    ['Linear-3', 'InnerProduct'],
    ['linear', 'Convolution'], // DNNsim's test is case-sensitive
    ['lstm1', 'LSTM'],
    ['fc_lstm', 'InnerProduct'], // 'fc' is tested before 'lstm'
    ['decoder_fc', 'Decoder'],
    ['encoder.0', 'Encoder'],
  ])('%s -> %s', (name, type) => {
    expect(dnnsimLayerType(name)).toBe(type);
  });
});
