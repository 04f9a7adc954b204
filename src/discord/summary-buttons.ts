import { type APIActionRowComponent, type APIButtonComponent, ComponentType } from 'discord.js';
import { askButtonComponent } from './handlers/ask-button.js';
import { deleteButtonComponent } from './handlers/delete-button.js';
import { refreshButtonComponent } from './handlers/refresh-button.js';
import type { SummaryOptions } from './requests/summary-request.js';

/**
 * The buttons under a summary's first message: Ask, then Refresh for summaries of links (`refresh`:
 * the summary's options; pasted text and files cannot be fetched again), then Delete.
 */
export function summaryButtons(
  refresh: SummaryOptions | null = null,
): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        askButtonComponent(),
        ...(refresh ? [refreshButtonComponent(refresh)] : []),
        deleteButtonComponent(),
      ],
    },
  ];
}
