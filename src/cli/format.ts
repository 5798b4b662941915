/** The CLI's CSV and table output; the formatting itself is framework-free and shared with the app's export. */
export {
  ENERGY_COLUMNS,
  LAYER_COLUMNS,
  RESULT_COLUMNS,
  STORAGE_COLUMNS,
  toCsv,
  toTable,
} from '../sim/reportFormat';
