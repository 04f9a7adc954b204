import type { ChatInputCommandInteraction, ModalSubmitInteraction } from 'discord.js';
import { acknowledge, type RequestContext, type RequestOutcome } from './context.js';
import { notices } from './messages.js';
import {
  type CarriedOptions,
  CUSTOM_IDS,
  decodeSummaryOptions,
  PASTE_PARTS,
  pasteModal,
} from './payloads.js';
import { summarizeFromInteraction } from './summarize-interaction.js';

/**
 * `/summarize` with nothing to summarize opens the "Paste an article" modal (a modal must be the
 * first response), for texts longer than a command option's 6,000 characters.
 */
export async function openPasteModal(
  interaction: ChatInputCommandInteraction,
  ctx: RequestContext,
  options: CarriedOptions,
): Promise<RequestOutcome> {
  await acknowledge(ctx, () => interaction.showModal(pasteModal(options)));
  return 'ok';
}

/**
 * The modal's text: the filled boxes, each trimmed, joined with blank lines (paragraph breaks), with
 * its title (when given) as the article's title, summarized as pasted text with the command's
 * options. Only whitespace in every box is refused with a private note.
 */
export async function onPasteModal(
  interaction: ModalSubmitInteraction,
  ctx: RequestContext,
): Promise<RequestOutcome> {
  if (!inChannel(interaction)) throw new Error('a paste modal was submitted outside a channel');
  const options = decodeSummaryOptions(interaction.customId, CUSTOM_IDS.pasteModal);
  const pasted = pastedText(interaction);
  if (!options) ctx.log.warn('malformed paste modal id');
  const input =
    options === null
      ? { refusal: notices.unexpected(ctx.requestId) }
      : pasted === null
        ? { refusal: notices.emptyPaste }
        : {
            kind: 'text' as const,
            text: pasted.text,
            source: 'discord:text',
            ...(pasted.title ? { title: pasted.title } : {}),
          };
  return summarizeFromInteraction(
    interaction,
    ctx,
    input,
    options ?? { length: 'standard', lang: null, private: true },
  );
}

/** A modal opened by a slash command always comes from a channel. */
function inChannel(
  interaction: ModalSubmitInteraction,
): interaction is ModalSubmitInteraction & { readonly channelId: string } {
  return interaction.channelId !== null;
}

/**
 * The modal's text and title, or null when no box holds any text (a title alone is not an article).
 * The title is the article's title, not its first paragraph, so quotes are numbered from the text.
 */
function pastedText(interaction: ModalSubmitInteraction): { text: string; title: string } | null {
  const value = (id: string): string => {
    try {
      return interaction.fields.getTextInputValue(id).trim();
    } catch {
      // An optional box left empty may be absent from the submission.
      return '';
    }
  };
  const parts = Array.from({ length: PASTE_PARTS }, (_, i) => value(`${CUSTOM_IDS.pastePart}${i + 1}`));
  if (parts.every((p) => p === '')) return null;
  return { text: parts.filter((p) => p !== '').join('\n\n'), title: value(CUSTOM_IDS.pasteTitle) };
}
