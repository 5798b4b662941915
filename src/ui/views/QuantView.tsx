import { useApp } from '../state/store';
import { useDetails } from '../hooks/useDetails';
import { useSelectedLayer } from '../hooks/useLayer';
import { useWidth } from '../hooks/useWidth';
import { EdgeHistogram } from '../components/Histogram';
import { OKABE_ITO } from '../lib/palette';
import { fmtPct } from '../lib/format';
import { SparsityBars } from './quant/SparsityBars';
import { QuantMetaTable } from './quant/QuantMetaTable';

/** Weights before and after quantisation, per-layer sparsity, and the quantiser's scales. */
export function QuantView() {
  const report = useApp((s) => s.report);
  const layer = useSelectedLayer();
  const { data, error, loading } = useDetails();
  const [ref, width] = useWidth<HTMLDivElement>();
  const w = Math.min(width, 1100);
  const half = Math.max(300, Math.floor((w - 48) / 2));
  // One x range for both histograms, so before and after line up.
  const edges = data ? [...data.weightHistogramFloat.edges, ...data.weightHistogramQuant.edges] : [];
  const domain: [number, number] | undefined =
    edges.length > 0 ? [Math.min(...edges), Math.max(...edges)] : undefined;
  return (
    <div ref={ref} className="flex flex-col gap-6">
      <section>
        <h3 className="text-lg font-semibold">
          Weights of {layer?.name ?? 'the layer'}: float and quantised
        </h3>
        {error && (
          <p role="alert" className="text-red-900">
            Layer details unavailable: {error}
          </p>
        )}
        {loading && !data && <p role="status">Reading the layer…</p>}
        {data && (
          <div className="flex flex-wrap gap-6">
            <figure>
              <EdgeHistogram
                edges={data.weightHistogramFloat.edges}
                counts={data.weightHistogramFloat.counts}
                thresholds={data.thresholds}
                domain={domain}
                width={half}
                colour={OKABE_ITO.skyBlue}
                label="Float weight histogram"
              />
              <figcaption className="text-sm text-slate-700">
                Float weights; dashed lines: thresholds of the scheme
              </figcaption>
            </figure>
            <figure>
              <EdgeHistogram
                edges={data.weightHistogramQuant.edges}
                counts={data.weightHistogramQuant.counts}
                domain={domain}
                width={half}
                colour={OKABE_ITO.blue}
                label="Quantised weight histogram"
              />
              <figcaption
                className="text-sm text-slate-700"
                title={`weight sparsity = ${fmtPct(data.weightSparsity)}`}
              >
                Quantised (dequantised values); {fmtPct(data.weightSparsity)} zero
              </figcaption>
            </figure>
          </div>
        )}
      </section>
      {report && (
        <section>
          <h3 className="text-lg font-semibold">Sparsity per layer</h3>
          <SparsityBars report={report} width={w} selected={layer?.name ?? null} />
        </section>
      )}
      {layer && (
        <section>
          <h3 className="text-lg font-semibold">Quantisation of {layer.name}</h3>
          <QuantMetaTable layer={layer} />
        </section>
      )}
    </div>
  );
}
