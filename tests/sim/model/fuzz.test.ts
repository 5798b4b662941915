import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModelLoadError, loadOnnxModel } from '../../../src/sim/model';
import { buildResNet } from '../../helpers/onnxBuilder';

/** Loading either succeeds or throws a ModelLoadError, never anything else. */
function loadsOrFailsCleanly(bytes: Uint8Array): boolean {
  try {
    loadOnnxModel(bytes);
    return true;
  } catch (error) {
    if (error instanceof ModelLoadError) return true;
    throw error;
  }
}

describe('hostile files never escape as raw exceptions', () => {
  const valid = buildResNet({
    seed: 2,
    inputShape: [1, 2, 6, 6],
    stages: 2,
    blocksPerStage: 1,
    widths: [4, 6],
    classes: 3,
  });

  it('random byte strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => loadsOrFailsCleanly(bytes)),
      { seed: 42, numRuns: 300 },
    );
  });

  it('random truncations of a valid model fail as not-onnx or truncated, or still load', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), (length) => {
        try {
          loadOnnxModel(valid.subarray(0, length));
        } catch (error) {
          if (!(error instanceof ModelLoadError)) throw error;
          expect(['not-onnx', 'truncated']).toContain(error.code);
        }
        return true;
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('random byte corruptions of a valid model', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: valid.length - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        (edits) => {
          const bytes = valid.slice();
          for (const [at, value] of edits) bytes[at] = value;
          return loadsOrFailsCleanly(bytes);
        },
      ),
      { seed: 42, numRuns: 300 },
    );
  });
});
