import { OKABE_ITO } from '../../lib/palette';
import type { StorageFormatId } from '../../../sim/reportStorage';
import type { FootprintBreakdown } from '../../../sim/energy';

/** Okabe–Ito colours of the memory and energy view; every one is also named in a legend or label. */
export const ENERGY_PARTS = [
  { key: 'compute', label: 'compute', colour: OKABE_ITO.green },
  { key: 'sram', label: 'on-chip SRAM', colour: OKABE_ITO.skyBlue },
  { key: 'dram', label: 'off-chip DRAM', colour: OKABE_ITO.vermillion },
  { key: 'leakage', label: 'leakage', colour: '#9CA3AF' },
] as const;

export type EnergyPart = (typeof ENERGY_PARTS)[number]['key'];

/** The compression steps dense → pruned → shared → CSC keep the same colour whatever the scheme. */
export function formatColour(id: StorageFormatId): string {
  switch (id) {
    case 'fp32':
      return '#6B7280';
    case 'pruned':
    case 'fixedSparse':
      return OKABE_ITO.skyBlue;
    case 'shared':
      return OKABE_ITO.green;
    case 'deepCompression':
      return OKABE_ITO.orange;
    case 'eieCsc':
      return OKABE_ITO.vermillion;
    default:
      return OKABE_ITO.blue;
  }
}

export const BREAKDOWN_PARTS: ReadonlyArray<{
  key: keyof FootprintBreakdown;
  label: string;
  colour: string;
}> = [
  { key: 'payload', label: 'weight values / codes', colour: OKABE_ITO.blue },
  { key: 'indices', label: 'relative or block indices', colour: OKABE_ITO.orange },
  { key: 'padding', label: 'padding entries', colour: OKABE_ITO.yellow },
  { key: 'pointers', label: 'column pointers', colour: OKABE_ITO.vermillion },
  { key: 'codebook', label: 'codebook', colour: OKABE_ITO.green },
  { key: 'scales', label: 'FP32 scales', colour: OKABE_ITO.purple },
];
