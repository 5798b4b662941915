import { MODEL_IDS, type ModelId } from '../../sim/accel/types';
import { useApp } from '../state/store';
import { ACCELERATOR_CATALOG, accelName } from '../state/catalog';
import { NumberField, SelectField } from './controls/fields';

/** Which accelerator and which tile (filter block, window block) the tile views show. */
export function GridAccelPicker() {
  const gridAccel = useApp((s) => s.link.gridAccel);
  const tile = useApp((s) => s.link.tile);
  const update = useApp((s) => s.update);
  return (
    <div className="flex flex-wrap items-end gap-4" data-group="picker">
      <div className="w-64">
        <SelectField<ModelId>
          label="Accelerator"
          value={gridAccel}
          options={MODEL_IDS.map((id) => ({
            value: id,
            label: `${accelName(id)}${ACCELERATOR_CATALOG[id]?.trace ? '' : ' (no tile trace)'}`,
          }))}
          onChange={(id) =>
            update((d) => {
              d.gridAccel = id;
              d.cycle = 0;
              d.playing = false;
              d.tile = { filter: 0, window: 0 };
            })
          }
        />
      </div>
      <div className="w-36">
        <NumberField
          label="Filter block"
          value={tile.filter}
          min={0}
          max={1_000_000}
          integer
          hint="Which block of filters (rows of the grid) the tile holds"
          onChange={(v) => update((d) => void ((d.tile.filter = v), (d.cycle = 0)), 'tile-f')}
        />
      </div>
      <div className="w-36">
        <NumberField
          label="Window block"
          value={tile.window}
          min={0}
          max={1_000_000}
          integer
          hint="Which group of output windows the tile holds"
          onChange={(v) => update((d) => void ((d.tile.window = v), (d.cycle = 0)), 'tile-w')}
        />
      </div>
    </div>
  );
}
