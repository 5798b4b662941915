import { useId, useState, type DragEvent } from 'react';
import { useApp } from '../../state/store';
import { getSimClient } from '../../state/simClient';
import { toSimConfig } from '../../state/linkState';
import { isSuperseded } from '../../../workers/client';
import { errorMessage } from '../../hooks/useSimulation';

const MAX_BYTES = 512 * 1024 * 1024;

async function loadFile(file: File): Promise<void> {
  const { set, update, link } = useApp.getState();
  if (file.size > MAX_BYTES) {
    set({ modelError: `${file.name} is ${(file.size / 2 ** 20).toFixed(0)} MiB; the limit is 512 MiB.` });
    return;
  }
  set({ loadingModel: true, modelError: null });
  try {
    const bytes = await file.arrayBuffer();
    const info = await getSimClient().loadCustomModel(bytes, toSimConfig({ ...link, model: 'custom' }));
    set({
      customModel: { fileName: file.name, bytes: info.bytes, layers: info.layers },
      loadingModel: false,
    });
    update((d) => {
      d.model = 'custom';
      d.layer = '';
      d.cycle = 0;
    });
  } catch (err) {
    const message = isSuperseded(err)
      ? 'loading was interrupted by another change; please try again'
      : errorMessage(err);
    set({ loadingModel: false, modelError: `${file.name} was not loaded: ${message}` });
  }
}

/** Drag-and-drop zone and file picker for the user's own ONNX model. */
export function ModelDrop() {
  const id = useId();
  const [over, setOver] = useState(false);
  const loading = useApp((s) => s.loadingModel);
  const error = useApp((s) => s.modelError);
  const custom = useApp((s) => s.customModel);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void loadFile(file);
  };
  return (
    <div className="flex flex-col gap-2">
      <div
        className={`rounded border-2 border-dashed p-3 text-sm ${over ? 'border-sky-700 bg-sky-50' : 'border-slate-400'}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <label htmlFor={id} className="block font-medium">
          Your own model (ONNX): drop a file here or choose one
        </label>
        <input
          id={id}
          type="file"
          accept=".onnx,application/octet-stream"
          className="mt-2 block w-full text-sm file:mr-2 file:rounded file:border file:border-slate-400 file:bg-white file:px-2 file:py-1"
          disabled={loading}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) void loadFile(file);
            e.target.value = '';
          }}
        />
        {loading && (
          <p className="mt-2" role="status">
            Checking the model…
          </p>
        )}
        {custom && !loading && (
          <p className="mt-2 text-slate-700">
            Loaded: {custom.fileName} ({custom.layers} conv/FC layers)
          </p>
        )}
      </div>
      {error && (
        <div
          role="alert"
          className="flex items-start gap-2 rounded border border-red-700 bg-red-50 p-2 text-sm text-red-900"
        >
          <span className="flex-1">{error}</span>
          <button
            type="button"
            className="rounded px-1 underline"
            onClick={() => useApp.getState().set({ modelError: null })}
          >
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
