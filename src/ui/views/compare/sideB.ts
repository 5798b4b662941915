import { createAppStore } from '../../state/store';
import { parseContext } from '../../state/store';
import { fromPayload, toPayload } from '../../state/hash';
import { VIEW_KEYS } from '../../state/schema';
import { defaultLinkState, type LinkState } from '../../state/linkState';
import { SimClient } from '../../../workers/client';

/** Side B of the compare view: a second store from the same factory as the page's, with its own worker. */
export const useSideB = createAppStore(defaultLinkState());

let clientB: SimClient | null = null;

/** Side B's own simulation worker, so that A's and B's computations never supersede each other. */
export function getSimClientB(): SimClient {
  if (!clientB) {
    clientB = new SimClient(
      { onCrash: (message) => useSideB.getState().set({ crash: message, computing: false, progress: null }) },
      new URL('./', document.baseURI).href,
    );
  }
  return clientB;
}

/** B's configuration as the link's field `b`: the configuration keys only (view keys stay with A). */
export function sideBPayload(state: LinkState): Record<string, unknown> {
  const payload = toPayload(state, parseContext());
  return Object.fromEntries(Object.entries(payload).filter(([k]) => !VIEW_KEYS.has(k)));
}

/** The state of side B: the link's `b` on its model's defaults, or (no `b` yet) a copy of A's configuration. */
export function sideBState(a: LinkState): LinkState {
  const state = a.b
    ? fromPayload(a.b, { ...parseContext(), customModelLoaded: false }).state
    : structuredClone({ ...a, b: null, tour: null });
  state.b = null;
  state.tour = null;
  state.presentation = false;
  state.hide = [];
  state.view = 'overview';
  state.playing = false;
  return state;
}

const CONFIG_FIELDS = ['model', 'images', 'imageOffset', 'seed', 'quant', 'accels', 'params'] as const;

/** Swaps the two configurations: A takes B's settings, B takes A's. */
export function swapSides(a: LinkState): LinkState {
  const b = sideBState(a);
  const next = structuredClone(a);
  const aAsB = sideBPayload(a);
  for (const f of CONFIG_FIELDS) (next as unknown as Record<string, unknown>)[f] = structuredClone(b[f]);
  next.b = aAsB;
  next.layer = '';
  next.cycle = 0;
  return next;
}
