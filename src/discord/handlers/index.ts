import type { ComponentHandler } from '../handler.js';
import { askButton } from './ask-button.js';
import { askModal } from './ask-modal.js';
import { contextSelect } from './context-select.js';
import { deleteButton } from './delete-button.js';
import { forgetButtons } from './forget-buttons.js';
import { pasteModal } from './paste-modal.js';
import { refreshButton } from './refresh-button.js';
import { retryButton } from './retry-button.js';

/** Every button, modal and select menu Verbatim handles, each owning the custom ids under its prefix. */
export const handlers: readonly ComponentHandler[] = [
  askButton,
  askModal,
  contextSelect,
  deleteButton,
  refreshButton,
  retryButton,
  forgetButtons,
  pasteModal,
];
