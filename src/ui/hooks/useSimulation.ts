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

/** Runs the simulation whenever the configuration changes; the newest request wins. */
export function useSimulationDriver(retryToken: number): void {
  const { config, key } = useSimConfig();
  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      const { set } = useApp.getState();
      set({ computing: true, error: null, progress: null });
      getSimClient()
        .compute(config, (progress) => !cancelled && set({ progress }))
        .then((report) => {
          if (!cancelled) set({ report, computing: false, progress: null, error: null, crash: null });
        })
        .catch((err: unknown) => {
          if (cancelled || isSuperseded(err)) return;
          set({ computing: false, progress: null, error: errorMessage(err) });
        });
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [config, key, retryToken]);
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
