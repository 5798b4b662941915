import { useEffect, type ComponentType } from 'react';
import { useApp } from './state/store';
import type { ViewId } from './state/linkState';
import { useUi } from './state/uiStore';
import { useSimulationDriver } from './hooks/useSimulation';
import { useUnknownLayerNotice } from './hooks/useLayer';
import { useShortcuts } from './hooks/useShortcuts';
import { Header } from './components/Header';
import { PresentationBar } from './components/PresentationBar';
import { Notices } from './components/Notices';
import { LayerNavigator } from './components/LayerNavigator';
import { VIEW_LABELS, ViewTabs } from './components/ViewTabs';
import { HelpDialog } from './components/HelpDialog';
import { ModelControls } from './components/controls/ModelControls';
import { QuantControls } from './components/controls/QuantControls';
import { AccelControls } from './components/controls/AccelControls';
import { PresetPicker } from './components/controls/PresetPicker';
import { ExplainPanel } from './explain/ExplainPanel';
import { TourPanel } from './tours/TourPanel';
import { TourEditor } from './tours/TourEditor';
import { useTour } from './tours/useTour';
import { OverviewView } from './views/OverviewView';
import { PeGridView } from './views/PeGridView';
import { OccupancyView } from './views/OccupancyView';
import { TermsView } from './views/TermsView';
import { QuantView } from './views/QuantView';
import { AccuracyView } from './views/AccuracyView';
import { CompareView } from './views/CompareView';
import { EnergyView } from './views/EnergyView';

const VIEWS: Record<ViewId, ComponentType> = {
  overview: OverviewView,
  pe: PeGridView,
  occupancy: OccupancyView,
  terms: TermsView,
  quant: QuantView,
  accuracy: AccuracyView,
  energy: EnergyView,
  compare: CompareView,
};

/** Presentation mode enlarges the whole page's type (rem-based) through a class on <html>. */
function usePresentationType(presenting: boolean): void {
  useEffect(() => {
    document.documentElement.classList.toggle('presenting', presenting);
  }, [presenting]);
}

function Concealed({ what }: { what: string }) {
  return (
    <div
      className="flex h-full items-center justify-center p-6 text-center text-lg text-slate-600"
      data-testid="concealed"
    >
      {what} stays hidden until you reveal your prediction.
    </div>
  );
}

export function App() {
  const view = useApp((s) => s.link.view);
  const retry = useApp((s) => s.retry);
  const presenting = useApp((s) => s.link.presentation);
  const hide = useApp((s) => s.link.hide);
  const settingsWanted = useUi((s) => s.settings);
  const explain = useUi((s) => s.explain);
  const pending = useTour()?.pending ?? false;
  useSimulationDriver(retry);
  useUnknownLayerNotice();
  useShortcuts();
  usePresentationType(presenting);
  const hidden = (group: (typeof hide)[number]) => presenting && hide.includes(group);
  const settings = settingsWanted && !presenting;
  const layers = !hidden('layers');
  const columns = [
    settings ? 'clamp(18rem, 20vw, 22rem)' : null,
    layers ? 'clamp(14rem, 15vw, 17rem)' : null,
    'minmax(0, 1fr)',
    explain ? 'clamp(20rem, 24vw, 28rem)' : null,
  ].filter(Boolean);
  const View = VIEWS[view];
  return (
    <div
      className="flex h-screen flex-col bg-white text-slate-900"
      data-presenting={presenting || undefined}
      data-hide={presenting ? hide.join(' ') : undefined}
    >
      <a
        href="#view-panel"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:bg-white focus:p-2"
      >
        Skip to the view
      </a>
      {presenting ? <PresentationBar /> : <Header />}
      <Notices />
      <div className="grid min-h-0 flex-1" style={{ gridTemplateColumns: columns.join(' ') }}>
        {!presenting && (
          <aside
            id="settings"
            aria-label="Settings"
            hidden={!settings}
            className="overflow-y-auto border-r border-slate-200 px-4 pb-6"
          >
            <h2 className="sr-only">Settings</h2>
            <div className="border-b border-slate-200 py-3">
              <PresetPicker />
            </div>
            <ModelControls />
            <QuantControls />
            <AccelControls />
          </aside>
        )}
        {layers && (
          <div className="flex min-h-0 flex-col border-r border-slate-200 bg-slate-50">
            {pending ? <Concealed what="The layer list" /> : <LayerNavigator />}
          </div>
        )}
        <main className="flex min-h-0 min-w-0 flex-col">
          {!hidden('tabs') && <ViewTabs />}
          <TourPanel />
          <section
            id="view-panel"
            role="tabpanel"
            aria-labelledby={hidden('tabs') ? undefined : `tab-${view}`}
            aria-label={hidden('tabs') ? VIEW_LABELS[view] : undefined}
            tabIndex={0}
            className="min-h-0 flex-1 overflow-y-auto p-4"
          >
            {pending ? <Concealed what="The view" /> : <View />}
          </section>
        </main>
        {explain && <ExplainPanel />}
      </div>
      <HelpDialog />
      <TourEditor />
    </div>
  );
}
