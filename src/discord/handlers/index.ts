import type { ComponentHandler } from '../handler.js';
import { askButton } from './ask-button.js';
import { askModal } from './ask-modal.js';
import { deleteButton } from './delete-button.js';
import { forgetButtons } from './forget-buttons.js';
import { pasteModal } from './paste-modal.js';
import { refreshButton } from './refresh-button.js';
import { retryButton } from './retry-button.js';

/** Every button and modal Verbatim handles, each owning the custom ids under its prefix. */
export const handlers: readonly ComponentHandler[] = [
  askButton,
  askModal,
  deleteButton,
  refreshButton,
  retryButton,
  forgetButtons,
  pasteModal,
];
