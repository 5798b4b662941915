import { useApp } from '../state/store';
import { useDetails } from '../hooks/useDetails';
import { useSelectedLayer } from '../hooks/useLayer';
import { useWidth } from '../hooks/useWidth';
import { CountBars } from '../components/Histogram';
import { OKABE_ITO } from '../lib/palette';
import { fmtX } from '../lib/format';
import { EncodingExplorer } from './terms/EncodingExplorer';
import { StragglerChart } from './terms/StragglerChart';

function StragglerNote() {
  const layer = useSelectedLayer();
  const lac = layer?.results.laconic;
  if (!layer || !lac?.potential) return null;
  return (
    <p className="text-base">
      On {layer.name}, Laconic could ideally do {fmtX(lac.potential.speedup)} less work than a {layer.wb}-bit
      multiply per MAC, but realises {fmtX(lac.speedup)}: each step waits for the slowest of up to 4,096 term
      pairs (lanes × rows × columns), and tiles re-synchronise every window group.
    </p>
  );
}

/** Term statistics of the selected layer, the encoding explorer and the lane-straggler view. */
export function TermsView() {
  const report = useApp((s) => s.report);
  const layer = useSelectedLayer();
  const { data, error, loading } = useDetails();
  const [ref, width] = useWidth<HTMLDivElement>();
  const w = Math.min(width, 1100);
  const third = Math.max(240, Math.floor((w - 64) / 3));
  return (
    <div ref={ref} className="flex flex-col gap-6">
      <section>
        <h3 className="text-lg font-semibold">Terms in {layer?.name ?? 'the layer'} (booth-like encoding)</h3>
        {error && (
          <p role="alert" className="text-red-900">
            Layer details unavailable: {error}
          </p>
        )}
        {loading && !data && <p role="status">Counting terms…</p>}
        {data && (
          <div className="flex flex-wrap gap-4">
            <CountBars
              counts={data.termsPerAct}
              width={third}
              colour={OKABE_ITO.blue}
              label="Terms per activation"
              xLabel="terms"
            />
            <CountBars
              counts={data.termsPerWeight}
              width={third}
              colour={OKABE_ITO.orange}
              label="Terms per weight"
              xLabel="terms"
            />
            <CountBars
              counts={data.termsPerPair}
              width={third}
              colour={OKABE_ITO.purple}
              label="Term pairs per (activation, weight)"
              xLabel="term pairs"
            />
          </div>
        )}
      </section>
      <EncodingExplorer />
      {report && (
        <section>
          <h3 className="text-lg font-semibold">Lane stragglers: potential versus realised speedup</h3>
          <StragglerNote />
          <StragglerChart report={report} width={w} selected={layer?.name ?? null} />
        </section>
      )}
    </div>
  );
}
