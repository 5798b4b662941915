import type { Params } from '../../../../src/sim/accel/types';
import type { RefEncoding } from './terms';

/** Grid parameters with the spec defaults (accelerators.md §1.6, §6, §7). */
export function refGrid(params: Params) {
  const num = (name: string, d: number) => (params[name] ?? d) as number;
  return {
    lanes: num('lanes', 16),
    columns: num('columns', 16),
    rows: num('rows', 16),
    tiles: num('tiles', 16),
    spaceToDepth: (params.firstLayerSpaceToDepth ?? true) as boolean,
    b: num('bitsFirstStage', 2),
    R: num('columnRegisters', 1),
    encoding: (params.termEncoding ?? 'boothLike') as RefEncoding,
    tileSync: (params.tileSync ?? 'windowGroup') as 'windowGroup' | 'step',
    zeroCount: (params.zeroCount ?? true) as boolean,
  };
}
