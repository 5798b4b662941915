import { VIEW_IDS, type LinkState } from './state/linkState';
import type { AppStore } from './state/store';
import { useUi } from './state/uiStore';
import { VIEW_LABELS } from './components/ViewTabs';
import { enterTourStep, tourOf } from './tours/tourState';
import { PARAM_CATALOG } from './state/catalog';

/**
 * Every keyboard shortcut, defined once: the key handler, the Commands menu and the help overlay are all
 * built from this table. `keys` are KeyboardEvent.key values; `when` says whether the command applies now.
 */
export type CommandGroup = 'Views' | 'Layers' | 'Animation' | 'Tour' | 'Presenting' | 'Help';

export interface Command {
  id: string;
  keys: readonly string[];
  label: string;
  group: CommandGroup;
  run(store: AppStore): void;
  when?(store: AppStore): boolean;
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  'Views',
  'Layers',
  'Animation',
  'Tour',
  'Presenting',
  'Help',
];

const KEY_NAMES: Record<string, string> = {
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
  ' ': 'Space',
};

/** How a key is written in menus and the help overlay. */
export function keyLabel(key: string): string {
  if (KEY_NAMES[key]) return KEY_NAMES[key];
  if (key.length === 1 && key !== key.toLowerCase()) return `Shift+${key.toLowerCase()}`;
  return key;
}

function edit(store: AppStore, recipe: (d: LinkState) => void): void {
  store.getState().update(recipe);
}

function showView(store: AppStore, view: LinkState['view']): void {
  edit(store, (d) => {
    d.view = view;
    d.playing = false;
  });
}

function cycleView(store: AppStore, delta: number): void {
  const i = VIEW_IDS.indexOf(store.getState().link.view);
  showView(store, VIEW_IDS[(i + delta + VIEW_IDS.length) % VIEW_IDS.length]);
}

/** Moves the layer selection; with no report yet there is nothing to move through. */
export function moveLayer(store: AppStore, delta: number): void {
  const { report, link } = store.getState();
  if (!report || report.layers.length === 0) return;
  const current = Math.max(
    0,
    report.layers.findIndex((l) => l.name === link.layer),
  );
  const next = Math.min(report.layers.length - 1, Math.max(0, current + delta));
  edit(store, (d) => {
    d.layer = report.layers[next].name;
    d.cycle = 0;
    d.tile = { filter: 0, window: 0 };
  });
}

function stepCycle(store: AppStore, delta: number): void {
  edit(store, (d) => {
    d.playing = false;
    d.cycle = Math.max(0, d.cycle + delta);
  });
}

function inTour(store: AppStore): boolean {
  return store.getState().link.tour !== null;
}

/** Moves the tour by `delta` steps, applying the new step's state; stays put at either end. */
export function moveTour(store: AppStore, delta: number): void {
  const { link } = store.getState();
  const ref = link.tour;
  const tour = ref && tourOf(ref);
  if (!ref || !tour) return;
  const step = Math.min(tour.steps.length - 1, Math.max(0, ref.step + delta));
  if (step === ref.step) return;
  const next = enterTourStep(link, { ...ref, step }, { catalog: PARAM_CATALOG, customModelLoaded: false });
  if (next) edit(store, (d) => Object.assign(d, next));
}

const viewCommands: Command[] = VIEW_IDS.map((id, i) => ({
  id: `view.${id}`,
  keys: i < 9 ? [String(i + 1)] : [],
  label: `Show ${VIEW_LABELS[id]}`,
  group: 'Views',
  run: (store) => showView(store, id),
}));

export const COMMANDS: readonly Command[] = [
  ...viewCommands,
  { id: 'view.next', keys: ['v'], label: 'Next view', group: 'Views', run: (s) => cycleView(s, 1) },
  { id: 'view.previous', keys: ['V'], label: 'Previous view', group: 'Views', run: (s) => cycleView(s, -1) },
  { id: 'layer.next', keys: [']'], label: 'Next layer', group: 'Layers', run: (s) => moveLayer(s, 1) },
  {
    id: 'layer.previous',
    keys: ['['],
    label: 'Previous layer',
    group: 'Layers',
    run: (s) => moveLayer(s, -1),
  },
  {
    id: 'play',
    keys: ['p'],
    label: 'Play / pause the tile animation',
    group: 'Animation',
    run: (s) => edit(s, (d) => void (d.playing = !d.playing)),
  },
  {
    id: 'cycle.next',
    keys: ['.'],
    label: 'Step one cycle forward',
    group: 'Animation',
    run: (s) => stepCycle(s, 1),
  },
  {
    id: 'cycle.previous',
    keys: [','],
    label: 'Step one cycle back',
    group: 'Animation',
    run: (s) => stepCycle(s, -1),
  },
  {
    id: 'tour.next',
    keys: ['ArrowRight'],
    label: 'Next tour step',
    group: 'Tour',
    when: inTour,
    run: (s) => moveTour(s, 1),
  },
  {
    id: 'tour.previous',
    keys: ['ArrowLeft'],
    label: 'Previous tour step',
    group: 'Tour',
    when: inTour,
    run: (s) => moveTour(s, -1),
  },
  {
    id: 'tour.exit',
    keys: ['Escape'],
    label: 'Leave the tour',
    group: 'Tour',
    when: inTour,
    run: (s) => edit(s, (d) => void (d.tour = null)),
  },
  {
    id: 'presentation',
    keys: ['f'],
    label: 'Presentation mode (large type, chrome hidden)',
    group: 'Presenting',
    run: (s) => edit(s, (d) => void (d.presentation = !d.presentation)),
  },
  {
    id: 'settings',
    keys: ['s'],
    label: 'Show / hide the settings column',
    group: 'Presenting',
    run: () => useUi.getState().set({ settings: !useUi.getState().settings }),
  },
  {
    id: 'explain',
    keys: ['e'],
    label: 'Explain the numbers (formulas with live values)',
    group: 'Help',
    run: () => useUi.getState().set({ explain: !useUi.getState().explain }),
  },
  {
    id: 'help',
    keys: ['?'],
    label: 'List the keyboard shortcuts',
    group: 'Help',
    run: () => useUi.getState().set({ help: true }),
  },
];

/** The command a key press runs now, if any (commands whose `when` fails let the key through). */
export function commandForKey(key: string, store: AppStore): Command | undefined {
  return COMMANDS.find((c) => c.keys.includes(key) && (c.when?.(store) ?? true));
}
