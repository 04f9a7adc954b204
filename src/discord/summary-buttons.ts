import { type APIActionRowComponent, type APIComponentInMessageActionRow, ComponentType } from 'discord.js';
import { askButtonComponent } from './handlers/ask-button.js';
import { contextMenuRows } from './handlers/context-select.js';
import { deleteButtonComponent } from './handlers/delete-button.js';
import { refreshButtonComponent } from './handlers/refresh-button.js';
import type { ShownQuote } from './render/footnotes.js';
import type { SummaryOptions } from './requests/summary-request.js';

/** A message holds 5 action rows: the buttons take one, "Show context" menus may use the rest. */
const MAX_ROWS = 5;

/** What a summary's "Show context" menus need: the quotes it shows and the article's content hash. */
export interface SummaryContext {
  readonly quotes: readonly ShownQuote[];
  readonly articleHash: string;
}

/**
 * The components under a summary's first message: Ask, then Refresh for summaries of links
 * (`refresh`: the summary's options; pasted text and files cannot be fetched again), then Delete;
 * below them the "Show context for [1] … [n]" menus of its quotes (`context`), which find the
 * summary's conversation by the message they are on.
 */
export function summaryButtons(
  refresh: SummaryOptions | null = null,
  context: SummaryContext | null = null,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        askButtonComponent(),
        ...(refresh ? [refreshButtonComponent(refresh)] : []),
        deleteButtonComponent(),
      ],
    },
    ...(context
      ? contextMenuRows(
          context.quotes,
          { conversationId: null, articleHash: context.articleHash },
          MAX_ROWS - 1,
        )
      : []),
  ];
}

/** The "Show context" menus under an answer in conversation `conversationId` (all 5 rows are free). */
export function answerComponents(
  conversationId: string,
  context: SummaryContext,
): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  return contextMenuRows(context.quotes, { conversationId, articleHash: context.articleHash }, MAX_ROWS);
}
