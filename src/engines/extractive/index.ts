// The offline, deterministic engine (LexRank summaries, BM25 answers).
export { ANSWER_THRESHOLD, createExtractiveEngine, EXTRACTIVE_ENGINE_NAME } from './extractive-engine.js';
