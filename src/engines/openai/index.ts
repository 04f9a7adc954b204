// The model engine: any OpenAI-compatible server through the official SDK, every output grounded.
export { INVALID_REPLY_ATTEMPTS } from './client.js';
export {
  boundedHistory,
  CACHE_NAMESPACE,
  createOpenAIEngine,
  HISTORY_CHARS,
  HISTORY_TURNS,
  KEY_POINTS,
  MAX_ANSWER_CLAIMS,
  MAX_SUMMARY_CLAIMS,
  type OpenAIEngineOptions,
} from './engine.js';
export {
  fillPrompt,
  loadPrompts,
  PROMPT_NAMES,
  type PromptName,
  type Prompts,
  placeholdersOf,
} from './prompts.js';
