export {
  createEngine,
  type Engine,
  type EngineOptions,
  type ReluThreshold,
  type RunOptions,
  type RunResult,
} from './engine';
export { top1 } from './metrics';
