import { beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS, commandForKey, keyLabel } from '../../src/ui/commands';
import { createAppStore, type AppStore } from '../../src/ui/state/store';
import { VIEW_IDS } from '../../src/ui/state/linkState';
import { useUi } from '../../src/ui/state/uiStore';
import { SHIPPED_TOURS } from '../../src/ui/tours/shipped';
import type { SimReport } from '../../src/sim/report';

function press(store: AppStore, key: string): boolean {
  const command = commandForKey(key, store);
  command?.run(store);
  return command !== undefined;
}

/** Just enough of a report for layer navigation. */
function fakeReport(names: string[]): SimReport {
  return { layers: names.map((name) => ({ name })) } as unknown as SimReport;
}

describe('the command table', () => {
  it('gives every key to at most one command and every command an id, label and group', () => {
    const keys = COMMANDS.flatMap((c) => c.keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
    for (const c of COMMANDS) {
      expect(c.label.length, c.id).toBeGreaterThan(3);
      expect(c.group, c.id).toBeTruthy();
    }
  });

  it('keeps the page keys the app had: 1–6, [ ], p, , . and ?', () => {
    const keys = new Set(COMMANDS.flatMap((c) => c.keys));
    for (const k of ['1', '2', '3', '4', '5', '6', '[', ']', 'p', ',', '.', '?'])
      expect(keys.has(k), k).toBe(true);
  });

  it('writes keys readably', () => {
    expect(keyLabel('ArrowLeft')).toBe('←');
    expect(keyLabel('ArrowRight')).toBe('→');
    expect(keyLabel('V')).toBe('Shift+v');
    expect(keyLabel('?')).toBe('?');
    expect(keyLabel('Escape')).toBe('Esc');
  });
});

describe('each command does what its entry says (on a fresh store from the factory)', () => {
  let store: AppStore;
  beforeEach(() => {
    store = createAppStore();
    useUi.getState().set({ help: false, explain: false, settings: true });
  });

  it('digits show the views in tab order; v and V cycle through them', () => {
    VIEW_IDS.forEach((id, i) => {
      if (i >= 9) return;
      expect(press(store, String(i + 1))).toBe(true);
      expect(store.getState().link.view).toBe(id);
    });
    press(store, '1');
    press(store, 'V');
    expect(store.getState().link.view).toBe(VIEW_IDS[VIEW_IDS.length - 1]);
    press(store, 'v');
    expect(store.getState().link.view).toBe(VIEW_IDS[0]);
    press(store, 'v');
    expect(store.getState().link.view).toBe(VIEW_IDS[1]);
  });

  it('p plays and pauses; . and , step one cycle and pause; , stops at cycle 0', () => {
    press(store, 'p');
    expect(store.getState().link.playing).toBe(true);
    press(store, 'p');
    expect(store.getState().link.playing).toBe(false);
    press(store, '.');
    press(store, '.');
    expect(store.getState().link.cycle).toBe(2);
    press(store, 'p');
    press(store, ',');
    expect(store.getState().link).toMatchObject({ cycle: 1, playing: false });
    press(store, ',');
    press(store, ',');
    expect(store.getState().link.cycle).toBe(0);
  });

  it('] and [ move through the report’s layers, staying at the ends, and rewind the animation', () => {
    expect(press(store, ']')).toBe(true); // no report yet: nothing to move through
    expect(store.getState().link.layer).toBe('');
    store.getState().set({ report: fakeReport(['conv1', 'layer1.0.conv1', 'fc']) });
    store.getState().update((d) => void (d.cycle = 7));
    press(store, ']');
    expect(store.getState().link).toMatchObject({ layer: 'layer1.0.conv1', cycle: 0 });
    press(store, ']');
    press(store, ']');
    expect(store.getState().link.layer).toBe('fc');
    press(store, '[');
    press(store, '[');
    press(store, '[');
    expect(store.getState().link.layer).toBe('conv1');
  });

  it('f toggles presentation mode; s the settings column; e the explanations; ? opens the key list', () => {
    press(store, 'f');
    expect(store.getState().link.presentation).toBe(true);
    press(store, 'f');
    expect(store.getState().link.presentation).toBe(false);
    press(store, 's');
    expect(useUi.getState().settings).toBe(false);
    press(store, 'e');
    expect(useUi.getState().explain).toBe(true);
    press(store, '?');
    expect(useUi.getState().help).toBe(true);
  });

  it('← / → / Esc only act in a tour: they move between steps and leave it', () => {
    expect(press(store, 'ArrowRight')).toBe(false);
    expect(press(store, 'Escape')).toBe(false);
    const tour = SHIPPED_TOURS[0];
    store.getState().update((d) => void (d.tour = { id: tour.id, step: 0 }));
    expect(press(store, 'ArrowRight')).toBe(true);
    expect(store.getState().link.tour).toEqual({ id: tour.id, step: 1 });
    for (let i = 0; i < tour.steps.length + 2; i++) press(store, 'ArrowRight');
    expect(store.getState().link.tour).toEqual({ id: tour.id, step: tour.steps.length - 1 });
    press(store, 'ArrowLeft');
    expect(store.getState().link.tour).toEqual({ id: tour.id, step: tour.steps.length - 2 });
    press(store, 'Escape');
    expect(store.getState().link.tour).toBeNull();
  });

  it('a tour step keeps presentation mode and the hidden controls', () => {
    store.getState().update((d) => {
      d.presentation = true;
      d.hide = ['layers'];
      d.tour = { id: SHIPPED_TOURS[1].id, step: 0 };
    });
    press(store, 'ArrowRight');
    expect(store.getState().link).toMatchObject({ presentation: true, hide: ['layers'] });
  });
});
