import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { SimReport } from '../../sim/report';
import type { Progress } from '../../sim/pipeline';
import { defaultLinkState, shareUnchanged, type LinkState } from './linkState';
import type { ParseContext } from './schema';
import { PARAM_CATALOG } from './catalog';

export type HistoryMode = 'push' | 'replace' | 'none';

export interface LinkChange {
  /** Where the last link change came from: the user (written to history) or the URL (not written back). */
  source: 'user' | 'url';
  /** Successive changes with the same gesture (a slider drag, the animation) share one history entry. */
  gesture?: string;
}

export interface CustomModel {
  fileName: string;
  bytes: number;
  layers: number;
}

export interface AppState {
  link: LinkState;
  linkChange: LinkChange;
  /** Link problems (ignored or clamped fields), shown until dismissed. */
  notices: string[];
  report: SimReport | null;
  computing: boolean;
  progress: Progress | null;
  /** Error of the current computation (the previous report stays visible). */
  error: string | null;
  /** The worker crashed and was restarted. */
  crash: string | null;
  customModel: CustomModel | null;
  modelError: string | null;
  loadingModel: boolean;
  /** Bumped by "Retry" to run the current configuration again. */
  retry: number;

  update(recipe: (draft: LinkState) => void, gesture?: string): void;
  applyUrl(state: LinkState, notices: string[]): void;
  addNotices(notices: string[]): void;
  dismissNotices(): void;
  set(partial: Partial<Omit<AppState, 'link' | 'update'>>): void;
}

export type AppStore = UseBoundStore<StoreApi<AppState>>;

/**
 * A fresh store: the page's main one is `useApp`; the compare view makes a second one for side B, so both
 * panes run the same state logic.
 */
export function createAppStore(initial: LinkState = defaultLinkState()): AppStore {
  return create<AppState>()((set) => ({
    link: initial,
    linkChange: { source: 'url' },
    notices: [],
    report: null,
    computing: false,
    progress: null,
    error: null,
    crash: null,
    customModel: null,
    modelError: null,
    loadingModel: false,
    retry: 0,

    update(recipe, gesture) {
      set((s) => {
        const draft = structuredClone(s.link);
        recipe(draft);
        const link = shareUnchanged(s.link, draft);
        return link === s.link ? {} : { link, linkChange: { source: 'user', gesture } };
      });
    },
    applyUrl(state, notices) {
      set((s) => ({
        link: shareUnchanged(s.link, state),
        linkChange: { source: 'url' },
        notices: [...s.notices, ...notices],
      }));
    },
    addNotices(notices) {
      if (notices.length > 0) set((s) => ({ notices: [...s.notices, ...notices] }));
    },
    dismissNotices() {
      set({ notices: [] });
    },
    set(partial) {
      set(partial);
    },
  }));
}

export const useApp = createAppStore();

export function parseContext(): ParseContext {
  return { catalog: PARAM_CATALOG, customModelLoaded: useApp.getState().customModel !== null };
}
