import { type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { acknowledge } from '../context.js';
import type { ButtonHandler } from '../handler.js';
import { labels } from '../texts.js';
import { askModal } from './ask-modal.js';

const PREFIX = 'verbatim:ask';

/** The custom id of this handler's component. */
const customId = () => PREFIX;

/** "Ask a question" under a summary: opens the Ask form at once (a modal must be the first response). */
export const askButton = {
  type: 'button',
  prefix: PREFIX,
  customId,
  parse: (customId: string) => (customId === PREFIX ? {} : null),
  async run(interaction, _data, ctx) {
    await acknowledge(ctx, () =>
      interaction.showModal(askModal.modal({ conversationId: interaction.message.id })),
    );
    return 'ok';
  },
} satisfies ButtonHandler<Record<string, never>>;

/** The "Ask a question" button, first under every summary. */
export function askButtonComponent(): APIButtonComponent {
  return {
    type: ComponentType.Button,
    style: ButtonStyle.Primary,
    custom_id: customId(),
    label: labels.askButton,
  };
}
