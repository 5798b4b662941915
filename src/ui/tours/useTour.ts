import { useApp } from '../state/store';
import { useUi } from '../state/uiStore';
import { stepKey, tourOf } from './tourState';
import type { Tour, TourRef, TourStep } from './types';

export interface TourView {
  ref: TourRef;
  tour: Tour;
  step: TourStep;
  index: number;
  key: string;
  /** The step asks for a prediction that has not been revealed yet. */
  pending: boolean;
}

/** The tour being played, its current step and whether the step's prediction is still open. */
export function useTour(): TourView | null {
  const ref = useApp((s) => s.link.tour);
  const revealed = useUi((s) => s.revealed);
  if (!ref) return null;
  const tour = tourOf(ref);
  if (!tour) return null;
  const index = Math.min(Math.max(0, ref.step), tour.steps.length - 1);
  const step = tour.steps[index];
  const key = stepKey(ref);
  return { ref, tour, step, index, key, pending: !!step.predict && revealed[key] === undefined };
}
