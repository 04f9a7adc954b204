// The model engine: any OpenAI-compatible server through the official SDK, every output grounded.
export { OpenAIClient } from './client.js';
export {
  boundedHistory,
  createOpenAIEngine,
  HISTORY_CHARS,
  HISTORY_TURNS,
  KEY_POINTS,
  MAX_ANSWER_CLAIMS,
  MAX_SUMMARY_CLAIMS,
  type OpenAIEngineOptions,
} from './engine.js';
export {
  type Attempt,
  INVALID_REPLY_ATTEMPTS,
  type Messages,
  type ModelClient,
  type ModelReply,
  StructuredChatClient,
} from './model-client.js';
export {
  fillPrompt,
  loadPrompts,
  PROMPT_NAMES,
  type PromptName,
  type Prompts,
  placeholdersOf,
} from './prompts.js';
