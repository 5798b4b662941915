import { BUILTIN_MODELS, defaultSchemeFor } from '../../../sim/config';
import { useApp } from '../../state/store';
import { IMAGE_OFFSET_MAX, IMAGES_MAX } from '../../state/schema';
import { useModelCard } from '../../hooks/useModelCard';
import { NumberField, Section, SelectField } from './fields';
import { ModelDrop } from './ModelDrop';

const MODEL_LABELS: Record<string, string> = {
  'fmnist-resnet20': 'ResNet-20 · Fashion-MNIST (float)',
  'fmnist-resnet20-ttq': 'ResNet-20 · Fashion-MNIST (TTQ ternary)',
  'fmnist-resnet20-dlac': 'ResNet-20 · Fashion-MNIST (DLAC: TWN + raised ReLU)',
  'resnet18-synthetic': 'ResNet-18 · ImageNet shape (synthetic)',
  'resnet34-synthetic': 'ResNet-34 · ImageNet shape (synthetic)',
  'resnet50-synthetic': 'ResNet-50 · ImageNet shape (synthetic)',
};

export function modelLabel(model: string, customName?: string): string {
  if (model === 'custom') return `Your model${customName ? `: ${customName}` : ''}`;
  return MODEL_LABELS[model] ?? model;
}

function CardSummary({ model }: { model: string }) {
  const card = useModelCard(model);
  if (!card) return null;
  const acc =
    card.testAccuracy ??
    card.accuracy ??
    card.top1 ??
    (card.test as Record<string, unknown> | undefined)?.accuracy;
  const parts: string[] = [];
  if (typeof acc === 'number') parts.push(`test top-1 ${(acc > 1 ? acc : acc * 100).toFixed(1)} %`);
  if (typeof card.epochs === 'number') {
    const total = typeof card.totalEpochs === 'number' ? card.totalEpochs : card.epochs;
    parts.push(
      total > card.epochs
        ? `${card.epochs} epochs (${total} in all, counting its starting point)`
        : `${card.epochs} epochs`,
    );
  }
  if (typeof card.seed === 'number') parts.push(`seed ${card.seed}`);
  if (parts.length === 0) return null;
  return (
    <p
      className="text-sm text-slate-600"
      title={typeof card.command === 'string' ? `made by: ${card.command}` : undefined}
    >
      Model card: {parts.join(' · ')}
    </p>
  );
}

export function ModelControls() {
  const model = useApp((s) => s.link.model);
  const images = useApp((s) => s.link.images);
  const imageOffset = useApp((s) => s.link.imageOffset);
  const update = useApp((s) => s.update);
  const custom = useApp((s) => s.customModel);
  const options = [
    ...BUILTIN_MODELS.map((m) => ({ value: m as string, label: modelLabel(m) })),
    ...(custom ? [{ value: 'custom', label: modelLabel('custom', custom.fileName) }] : []),
  ];
  const synthetic = model.endsWith('-synthetic');
  return (
    <Section title="Model and inputs">
      <SelectField
        label="Model"
        value={model}
        options={options}
        onChange={(model) =>
          update((d) => {
            d.model = model;
            d.quant.weights.scheme = defaultSchemeFor(model);
            d.layer = '';
            d.cycle = 0;
          })
        }
      />
      {synthetic && (
        <p className="rounded bg-amber-100 px-2 py-1 text-sm text-amber-900">
          Synthetic: seeded random tensors with the real architecture; no accuracy.
        </p>
      )}
      <CardSummary model={model} />
      <NumberField
        label="Test images (N)"
        hint="Activations are averaged over N images; accuracy uses all N."
        value={images}
        min={1}
        max={IMAGES_MAX}
        integer
        disabled={synthetic}
        onChange={(v) => update((d) => void (d.images = v), 'images')}
      />
      <NumberField
        label="First image"
        value={imageOffset}
        min={0}
        max={IMAGE_OFFSET_MAX}
        integer
        disabled={synthetic}
        onChange={(v) => update((d) => void (d.imageOffset = v), 'imageOffset')}
      />
      <ModelDrop />
    </Section>
  );
}
