import { useApp } from '../state/store';
import { IMAGES_MAX } from '../state/schema';
import { NumberField } from '../components/controls/fields';
import { fmtPct } from '../lib/format';
import { OKABE_ITO } from '../lib/palette';

function Bar({
  label,
  value,
  images,
  colour,
  testId,
}: {
  label: string;
  value: number;
  images: number;
  colour: string;
  testId: string;
}) {
  const correct = Math.floor(value * images + 0.5);
  return (
    <div className="flex items-center gap-3">
      <span className="w-40 text-base">{label}</span>
      <div className="h-8 flex-1 rounded bg-slate-100">
        <div className="h-8 rounded" style={{ width: `${value * 100}%`, background: colour }} />
      </div>
      <span
        className="w-24 text-right text-xl font-semibold tabular-nums"
        data-testid={testId}
        title={`top-1 = correct / images ≈ ${correct} / ${images} = ${fmtPct(value)}`}
      >
        {fmtPct(value)}
      </span>
    </div>
  );
}

/** Float versus quantised top-1 accuracy on the first N test images, with progress while it runs. */
export function AccuracyView() {
  const report = useApp((s) => s.report);
  const images = useApp((s) => s.link.images);
  const model = useApp((s) => s.link.model);
  const computing = useApp((s) => s.computing);
  const progress = useApp((s) => s.progress);
  const update = useApp((s) => s.update);
  const synthetic = model.endsWith('-synthetic');
  const acc = report?.accuracy;
  return (
    <div className="flex max-w-4xl flex-col gap-5">
      <p className="text-base">
        Top-1 accuracy of the float model and of the same model with this quantisation, on test images from
        the shipped Fashion-MNIST subset.
      </p>
      <div className="w-72">
        <NumberField
          label="Test images (N)"
          value={images}
          min={1}
          max={IMAGES_MAX}
          integer
          slider
          disabled={synthetic}
          onChange={(v) => update((d) => void (d.images = v), 'images')}
        />
      </div>
      {computing && (
        <div role="status" className="flex items-center gap-3">
          <span>{progress ? `${progress.message || progress.stage}` : 'Working…'}</span>
          <progress
            max={1}
            value={progress?.fraction ?? undefined}
            className="h-3 w-64"
            aria-label="accuracy progress"
          />
        </div>
      )}
      {synthetic && <p>Synthetic models have no trained weights and no accuracy.</p>}
      {!synthetic && acc && (
        <div className="flex flex-col gap-3">
          <Bar
            label="Float"
            value={acc.float}
            images={acc.images}
            colour={OKABE_ITO.skyBlue}
            testId="acc-float"
          />
          <Bar
            label="Quantised"
            value={acc.quantized}
            images={acc.images}
            colour={OKABE_ITO.blue}
            testId="acc-quant"
          />
          <p
            className="text-base"
            title={`difference = quantised − float = ${fmtPct(acc.quantized)} − ${fmtPct(acc.float)}`}
          >
            On {acc.images} image{acc.images === 1 ? '' : 's'}:{' '}
            {acc.quantized >= acc.float
              ? 'no loss'
              : `${((acc.float - acc.quantized) * 100).toFixed(1)} points lost`}{' '}
            by quantising.
            {acc.images < 100 && ' With few images the figures are coarse; raise N for a steadier estimate.'}
          </p>
        </div>
      )}
      {!synthetic && report && !acc && (
        <p>This model has no labelled test images, so accuracy is not measured.</p>
      )}
    </div>
  );
}
