import { useApp } from '../state/store';
import { parseContext } from '../state/store';
import { useUi } from '../state/uiStore';
import { encodeLink } from '../state/hash';
import { Menu, type MenuItem } from '../components/menus/Menu';
import { SHIPPED_TOURS } from './shipped';
import { enterTourStep } from './tourState';
import type { TourRef } from './types';

/** Starts `ref` at its step: the step's state is applied, presentation settings stay. */
export function startTour(ref: TourRef): void {
  const { link, update } = useApp.getState();
  const next = enterTourStep(link, ref, parseContext());
  if (next) update((d) => Object.assign(d, next));
}

/** A link that opens the current tour at its first step. */
export function tourStartLink(): string | null {
  const { link } = useApp.getState();
  if (!link.tour) return null;
  const start = enterTourStep(link, { ...link.tour, step: 0 }, parseContext());
  if (!start) return null;
  return `${window.location.href.split('#')[0]}#${encodeLink(start, parseContext())}`;
}

/** Tours: the shipped ones, writing or loading your own, sharing the one being played. */
export function TourMenu({ buttonClass }: { buttonClass: string }) {
  const items = (): MenuItem[] => {
    const inTour = useApp.getState().link.tour !== null;
    return [
      ...SHIPPED_TOURS.map((t, i) => ({
        id: `tour-${t.id}`,
        section: i === 0 ? 'Tours' : undefined,
        label: t.title,
        onSelect: () => startTour({ id: t.id, step: 0 }),
      })),
      {
        id: 'tour-editor',
        section: 'Your own',
        label: 'Write, record or load a tour (JSON)…',
        onSelect: () => useUi.getState().set({ tourEditor: true }),
      },
      {
        id: 'tour-link',
        label: 'Copy a link to this tour’s first step',
        disabled: !inTour,
        onSelect: () => {
          const link = tourStartLink();
          if (link) void navigator.clipboard?.writeText(link).catch(() => undefined);
        },
      },
      {
        id: 'tour-leave',
        label: 'Leave the tour',
        disabled: !inTour,
        onSelect: () => useApp.getState().update((d) => void (d.tour = null)),
      },
    ];
  };
  return <Menu label="Tours" items={items} buttonClass={buttonClass} testId="tour-menu" />;
}
