import { useEffect, useMemo } from 'react';
import { toSimConfig, type LinkState } from '../state/linkState';
import { useApp } from '../state/store';
import { getSimClient } from '../state/simClient';
import { isSuperseded } from '../../workers/client';
import { stableStringify } from '../../workers/keys';
import type { SimConfig } from '../../sim/config';

const DEBOUNCE_MS = 120;

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const keyOfLink = new WeakMap<object, string>();
const keyOfReport = new WeakMap<object, string>();

function configKey(link: LinkState): string {
  let key = keyOfLink.get(link);
  if (key === undefined) {
    key = stableStringify(toSimConfig(link));
    keyOfLink.set(link, key);
  }
  return key;
}

/**
 * The SimConfig of the current link state and its stable key. Subscribes to the key (a string), so the
 * animation or a view change does not re-render the components that only depend on the configuration.
 */
export function useSimConfig(): { config: SimConfig; key: string } {
  const key = useApp((s) => configKey(s.link));
  // Rebuilt from the link (not parsed from the key) so the config keeps its natural key order.
  return useMemo(() => ({ config: toSimConfig(useApp.getState().link), key }), [key]);
}

/**
 * Runs the simulation whenever the configuration changes; the newest request wins. A discrete change (a
 * select, a checkbox, a link) starts at once; a gesture (slider drag, typing) waits DEBOUNCE_MS for the
 * next step of the gesture. It watches the store directly, so a new configuration does not re-render
 * the component that calls it (the whole page, from App).
 */
export function useSimulationDriver(retryToken: number): void {
  useEffect(() => {
    let lastKey: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = { cancelled: false };
    const start = (config: SimConfig) => {
      const run = live;
      const { set } = useApp.getState();
      set({ computing: true, error: null, progress: null });
      getSimClient()
        .compute(config, (progress) => !run.cancelled && set({ progress }))
        .then((report) => {
          if (!run.cancelled) set({ report, computing: false, progress: null, error: null, crash: null });
        })
        .catch((err: unknown) => {
          if (run.cancelled || isSuperseded(err)) return;
          set({ computing: false, progress: null, error: errorMessage(err) });
        });
    };
    const onChange = () => {
      const { link, linkChange } = useApp.getState();
      const key = configKey(link);
      if (key === lastKey) return;
      lastKey = key;
      live.cancelled = true;
      live = { cancelled: false };
      clearTimeout(timer);
      const config = toSimConfig(link);
      // Out of the store's notification: the change that triggered it finishes rendering first.
      timer = setTimeout(() => start(config), linkChange.gesture === undefined ? 0 : DEBOUNCE_MS);
    };
    onChange();
    const unsubscribe = useApp.subscribe(onChange);
    return () => {
      unsubscribe();
      live.cancelled = true;
      clearTimeout(timer);
    };
  }, [retryToken]);
}

/** True when the report on screen was computed from the current configuration. */
export function useReportIsCurrent(): boolean {
  const { key } = useSimConfig();
  const report = useApp((s) => s.report);
  if (report === null) return false;
  let reportKey = keyOfReport.get(report);
  if (reportKey === undefined) {
    reportKey = stableStringify(report.config);
    keyOfReport.set(report, reportKey);
  }
  return reportKey === key;
}
