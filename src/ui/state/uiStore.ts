import { create } from 'zustand';

/** Page chrome state that never goes into links: open overlays, the settings column, revealed predictions. */
export interface UiState {
  help: boolean;
  explain: boolean;
  settings: boolean;
  tourEditor: boolean;
  /** Guesses of the predictions revealed so far, by tour step (see tours/tourState stepKey). */
  revealed: Record<string, string>;
  set(partial: Partial<Omit<UiState, 'set'>>): void;
}

export const useUi = create<UiState>()((set) => ({
  help: false,
  explain: false,
  settings: true,
  tourEditor: false,
  revealed: {},
  set(partial) {
    set(partial);
  },
}));
