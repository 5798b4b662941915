export { boothLikeDigits, MASK_TABLE, MAX_MAGNITUDE, T_TABLE, type TermDigit } from './booth';
export { binaryDigits, nafDigits, popcount } from './naf';
export {
  isTermEncoding,
  termCount,
  termCountStats,
  termCountTable,
  termDigits,
  termMaskTable,
  TERM_ENCODINGS,
  type TermCountStats,
  type TermEncoding,
} from './encoding';
export { termCountsOf, termMasksOf, termRangeError, totalTerms } from './tensor';
