/** Test-only reference models (direct transliterations of the spec) for equality tests and the bench. */
export {
  pragmaticReferenceCycles,
  pragmaticReferenceWork,
  refPragmaticPE,
  refColumnSync,
  refBrickIssue,
} from './pragmatic';
export { laconicReferenceCycles, laconicReferenceWork } from './laconic';
export { randomLayer, convGeometry, fcGeometry, type RandomLayerOptions } from './layer';
