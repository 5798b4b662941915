import type { QuantConfig, WeightScheme } from '../../../sim/config';
import { useApp } from '../../state/store';
import { CheckField, NumberField, Section, SelectField } from './fields';

export const SCHEMES: ReadonlyArray<{ value: WeightScheme; label: string }> = [
  { value: 'fixed', label: 'Fixed point (profiled, DNNsim)' },
  { value: 'uniform', label: 'Uniform k-bit' },
  { value: 'tensorflow8b', label: 'TensorFlow 8-bit' },
  { value: 'twn', label: 'Ternary (TWN)' },
  { value: 'ttq', label: 'Ternary (TTQ)' },
  { value: 'ttqFixedSparsity', label: 'Ternary, fixed sparsity (TTQ p)' },
  { value: 'binary', label: 'Binary (BWN)' },
  { value: 'cgs', label: 'Block sparse + k-bit (CGS)' },
];

type Recipe = (q: QuantConfig) => void;

function useQuant(): [QuantConfig, (recipe: Recipe, gesture?: string) => void] {
  const quant = useApp((s) => s.link.quant);
  const update = useApp((s) => s.update);
  return [quant, (recipe, gesture) => update((d) => recipe(d.quant), gesture)];
}

function WeightParams() {
  const [q, set] = useQuant();
  const w = q.weights;
  return (
    <>
      {(w.scheme === 'fixed' || w.scheme === 'uniform') && (
        <NumberField
          label="Weight bits"
          value={w.bits}
          min={2}
          max={16}
          integer
          slider
          onChange={(v) => set((d) => void (d.weights.bits = v), 'wbits')}
        />
      )}
      {w.scheme === 'uniform' && (
        <CheckField
          label="Symmetric"
          checked={w.symmetric}
          onChange={(v) => set((d) => void (d.weights.symmetric = v))}
        />
      )}
      {(w.scheme === 'uniform' || w.scheme === 'twn' || w.scheme === 'binary') && (
        <SelectField
          label="Granularity"
          value={w.granularity}
          options={[
            { value: 'layer', label: 'per layer' },
            { value: 'filter', label: 'per filter' },
          ]}
          onChange={(v) => set((d) => void (d.weights.granularity = v))}
        />
      )}
      {w.scheme === 'ttq' && (
        <NumberField
          label="TTQ threshold t (Δ = t·max|w|)"
          value={w.ttqT}
          min={0}
          max={1}
          step={0.005}
          slider
          hint="Used when the model carries no learned ternary values (post-training fit)."
          onChange={(v) => set((d) => void (d.weights.ttqT = v), 'ttqT')}
        />
      )}
      {w.scheme === 'ttqFixedSparsity' && (
        <>
          <NumberField
            label="Sparsity p"
            value={w.ttqSparsity}
            min={0}
            max={0.99}
            step={0.01}
            slider
            onChange={(v) => set((d) => void (d.weights.ttqSparsity = v), 'ttqP')}
          />
          <CheckField
            label="Reference quirk (strict comparison)"
            checked={w.referenceQuirk}
            onChange={(v) => set((d) => void (d.weights.referenceQuirk = v))}
          />
        </>
      )}
      {w.scheme === 'cgs' && (
        <>
          <NumberField
            label="Block rows Br"
            value={w.cgs.br}
            min={1}
            max={256}
            integer
            onChange={(v) => set((d) => void (d.weights.cgs.br = v), 'cgsbr')}
          />
          <NumberField
            label="Block columns Bc"
            value={w.cgs.bc}
            min={1}
            max={256}
            integer
            onChange={(v) => set((d) => void (d.weights.cgs.bc = v), 'cgsbc')}
          />
          <NumberField
            label="Compression"
            value={w.cgs.compression}
            min={1}
            max={256}
            step={1}
            slider
            onChange={(v) => set((d) => void (d.weights.cgs.compression = v), 'cgsx')}
          />
          <NumberField
            label="Bits of kept weights"
            value={w.cgs.bits}
            min={2}
            max={16}
            integer
            onChange={(v) => set((d) => void (d.weights.cgs.bits = v), 'cgsbits')}
          />
          <p className="text-sm text-slate-600">
            A fixed mask applied after training loses accuracy (the paper fixes it before).
          </p>
        </>
      )}
    </>
  );
}

export function QuantControls() {
  const [q, set] = useQuant();
  return (
    <>
      <Section title="Weights">
        <SelectField
          label="Quantisation scheme"
          value={q.weights.scheme}
          options={SCHEMES}
          onChange={(v) => set((d) => void (d.weights.scheme = v))}
        />
        <WeightParams />
        <CheckField
          label="First layer full precision"
          checked={q.firstLayerFullPrecision}
          onChange={(v) => set((d) => void (d.firstLayerFullPrecision = v))}
        />
        <CheckField
          label="Last FC full precision"
          checked={q.lastFcFullPrecision}
          onChange={(v) => set((d) => void (d.lastFcFullPrecision = v))}
        />
      </Section>
      <Section title="Pruning and sharing" open={false}>
        <CheckField
          label="Magnitude pruning"
          checked={q.prune.enabled}
          onChange={(v) => set((d) => void (d.prune.enabled = v))}
        />
        {q.prune.enabled && (
          <>
            <SelectField
              label="Pruning mode"
              value={q.prune.mode}
              options={[
                { value: 'perLayer', label: 'fraction per layer' },
                { value: 'global', label: 'global fraction' },
                { value: 'stdThreshold', label: '|w| < q·σ' },
              ]}
              onChange={(v) => set((d) => void (d.prune.mode = v))}
            />
            {q.prune.mode === 'global' && (
              <p className="text-sm text-slate-600">
                Global raw-magnitude pruning can empty layers with small weights.
              </p>
            )}
            {q.prune.mode === 'stdThreshold' ? (
              <NumberField
                label="q (multiples of σ)"
                value={q.prune.q}
                min={0}
                max={5}
                step={0.05}
                slider
                onChange={(v) => set((d) => void (d.prune.q = v), 'pq')}
              />
            ) : (
              <NumberField
                label="Fraction pruned"
                value={q.prune.fraction}
                min={0}
                max={0.99}
                step={0.01}
                slider
                onChange={(v) => set((d) => void (d.prune.fraction = v), 'pf')}
              />
            )}
          </>
        )}
        <CheckField
          label="Weight sharing (k-means)"
          checked={q.share.enabled}
          onChange={(v) => set((d) => void (d.share.enabled = v))}
        />
        {q.share.enabled && (
          <>
            <NumberField
              label="Index bits, conv"
              value={q.share.bitsConv}
              min={1}
              max={12}
              integer
              onChange={(v) => set((d) => void (d.share.bitsConv = v), 'sc')}
            />
            <NumberField
              label="Index bits, FC"
              value={q.share.bitsFc}
              min={1}
              max={12}
              integer
              onChange={(v) => set((d) => void (d.share.bitsFc = v), 'sf')}
            />
            <CheckField
              label="Reserve code 0 for zero (EIE)"
              checked={q.share.reserveZeroCode}
              onChange={(v) => set((d) => void (d.share.reserveZeroCode = v))}
            />
          </>
        )}
      </Section>
      <Section title="Activations" open={false}>
        <SelectField
          label="Activation precision"
          value={q.acts.scheme}
          options={[
            { value: 'fixed', label: 'Fixed point (profiled)' },
            { value: 'tensorflow8b', label: 'TensorFlow 8-bit' },
          ]}
          onChange={(v) => set((d) => void (d.acts.scheme = v))}
        />
        {q.acts.scheme === 'fixed' && (
          <NumberField
            label="Activation bits"
            value={q.acts.bits}
            min={2}
            max={16}
            integer
            slider
            onChange={(v) => set((d) => void (d.acts.bits = v), 'abits')}
          />
        )}
        <CheckField
          label="Range from 99.99th percentile"
          checked={q.acts.percentile}
          onChange={(v) => set((d) => void (d.acts.percentile = v))}
        />
        <CheckField
          label="Raised ReLU threshold (DLAC)"
          checked={q.reluThreshold.enabled}
          onChange={(v) => set((d) => void (d.reluThreshold.enabled = v))}
        />
        {q.reluThreshold.enabled && (
          <>
            <SelectField
              label="Threshold mode"
              value={q.reluThreshold.mode}
              options={[
                { value: 'absolute', label: 'absolute θ' },
                { value: 'relative', label: 'θ = τ·σ(pre-activation)' },
              ]}
              onChange={(v) => set((d) => void (d.reluThreshold.mode = v))}
            />
            <NumberField
              label={q.reluThreshold.mode === 'absolute' ? 'θ' : 'τ'}
              value={q.reluThreshold.theta}
              min={0}
              max={10}
              step={0.01}
              slider
              hint="y = x > θ ? x : 0 at every ReLU"
              onChange={(v) => set((d) => void (d.reluThreshold.theta = v), 'theta')}
            />
          </>
        )}
      </Section>
    </>
  );
}
