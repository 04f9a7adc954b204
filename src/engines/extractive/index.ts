// The offline, deterministic engine (LexRank summaries, BM25 answers).
export {
  ANSWER_THRESHOLD,
  createExtractiveEngine,
  EXTRACTIVE_ENGINE_NAME,
  EXTRACTIVE_ENGINE_VERSION,
} from './extractive-engine.js';
