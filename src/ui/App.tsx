import { useCallback, useState, type ComponentType } from 'react';
import { useApp } from './state/store';
import type { ViewId } from './state/linkState';
import { useSimulationDriver } from './hooks/useSimulation';
import { useUnknownLayerNotice } from './hooks/useLayer';
import { useShortcuts } from './hooks/useShortcuts';
import { Header } from './components/Header';
import { Notices } from './components/Notices';
import { LayerNavigator } from './components/LayerNavigator';
import { ViewTabs } from './components/ViewTabs';
import { HelpDialog } from './components/HelpDialog';
import { ModelControls } from './components/controls/ModelControls';
import { QuantControls } from './components/controls/QuantControls';
import { AccelControls } from './components/controls/AccelControls';
import { OverviewView } from './views/OverviewView';
import { PeGridView } from './views/PeGridView';
import { OccupancyView } from './views/OccupancyView';
import { TermsView } from './views/TermsView';
import { QuantView } from './views/QuantView';
import { AccuracyView } from './views/AccuracyView';

const VIEWS: Record<ViewId, ComponentType> = {
  overview: OverviewView,
  pe: PeGridView,
  occupancy: OccupancyView,
  terms: TermsView,
  quant: QuantView,
  accuracy: AccuracyView,
};

export function App() {
  const view = useApp((s) => s.link.view);
  const retry = useApp((s) => s.retry);
  const [help, setHelp] = useState(false);
  const [settings, setSettings] = useState(true);
  const openHelp = useCallback(() => setHelp(true), []);
  useSimulationDriver(retry);
  useUnknownLayerNotice();
  useShortcuts(openHelp);
  const View = VIEWS[view];
  return (
    <div className="flex h-screen flex-col bg-white text-slate-900">
      <a
        href="#view-panel"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:bg-white focus:p-2"
      >
        Skip to the view
      </a>
      <Header onHelp={openHelp} settingsShown={settings} onToggleSettings={() => setSettings((v) => !v)} />
      <Notices />
      <div
        className={`grid min-h-0 flex-1 ${
          settings
            ? 'grid-cols-[18rem_14rem_minmax(0,1fr)] 2xl:grid-cols-[22rem_17rem_minmax(0,1fr)]'
            : 'grid-cols-[14rem_minmax(0,1fr)] 2xl:grid-cols-[17rem_minmax(0,1fr)]'
        }`}
      >
        <aside
          id="settings"
          aria-label="Settings"
          hidden={!settings}
          className="overflow-y-auto border-r border-slate-200 px-4 pb-6"
        >
          <h2 className="sr-only">Settings</h2>
          <ModelControls />
          <QuantControls />
          <AccelControls />
        </aside>
        <div className="flex min-h-0 flex-col border-r border-slate-200 bg-slate-50">
          <LayerNavigator />
        </div>
        <main className="flex min-h-0 flex-col">
          <ViewTabs />
          <section
            id="view-panel"
            role="tabpanel"
            aria-labelledby={`tab-${view}`}
            tabIndex={-1}
            className="min-h-0 flex-1 overflow-y-auto p-4"
          >
            <View />
          </section>
        </main>
      </div>
      <HelpDialog open={help} onClose={() => setHelp(false)} />
    </div>
  );
}
