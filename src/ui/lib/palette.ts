import type { ModelId } from '../../sim/accel/types';

/**
 * Colour-blind-safe colours: Okabe–Ito for categories, completed with Paul Tol's muted set where eight is
 * not enough. Every colour is paired with a text label or position in the views, never used alone.
 */
export const OKABE_ITO = {
  black: '#000000',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  blue: '#0072B2',
  vermillion: '#D55E00',
  purple: '#CC79A7',
} as const;

export const ACCEL_COLOURS: Record<ModelId, string> = {
  dadn: '#6B7280',
  stripes: OKABE_ITO.skyBlue,
  dstripes: OKABE_ITO.blue,
  pragmatic: OKABE_ITO.orange,
  laconic: OKABE_ITO.purple,
  loom: OKABE_ITO.green,
  cnvlutin: OKABE_ITO.vermillion,
  scnn: '#332288',
  bitfusion: '#999933',
  eie: '#882255',
  dlac: '#117733',
};

/** UnitState -> colour, index = UnitState value (Inactive, Effectual, Idle, Ineffectual). */
export const UNIT_STATE_COLOURS = ['#E5E7EB', OKABE_ITO.blue, OKABE_ITO.orange, OKABE_ITO.purple] as const;

export const UNIT_STATE_LABELS = [
  'inactive (nothing mapped)',
  'busy, effectual',
  'idle, waiting to synchronise',
  'ineffectual work (zero operands forced through)',
] as const;
