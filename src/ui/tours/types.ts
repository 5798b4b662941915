/**
 * Tours: ordered lists of states with captions, played step by step (←/→ in tour mode). A step's `state` is
 * a partial link state in long form (the LinkState paths, e.g. `{ quant: { weights: { scheme: 'twn' } } }`);
 * the state shown at step i is the model's defaults with steps 0..i applied in order, so going back and forth
 * always shows the same thing. Captions may quote live numbers through placeholders (see template.ts).
 */
export interface TourPrediction {
  /** The question put to the student before the figure is shown. */
  question: string;
  /** The figure as a caption placeholder, e.g. `{speedup:dlac:layer3.2.conv2}`. */
  answer: string;
}

export interface TourStep {
  /** Plain text with `{...}` placeholders filled from the current report. */
  caption: string;
  /** A paper preset (src/sim/presets/papers.ts) whose configuration this step starts from. */
  preset?: string;
  /** Link fields this step sets (after the preset), in LinkState paths. */
  state?: Record<string, unknown>;
  /** Predict, then reveal: the view stays covered until the student has guessed and revealed. */
  predict?: TourPrediction;
}

export interface Tour {
  title: string;
  /** One line on what the tour shows. */
  summary?: string;
  steps: TourStep[];
}

export interface ShippedTour extends Tour {
  id: string;
}

/** What a link holds: a shipped tour by id, or a whole custom tour; plus the step being shown. */
export type TourRef = { id: string; step: number } | { custom: Tour; step: number };
