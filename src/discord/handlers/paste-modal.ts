import {
  type APIModalInteractionResponseCallbackData,
  ComponentType,
  type ModalSubmitInteraction,
  TextInputStyle,
} from 'discord.js';
import { dataOf, type ModalHandler } from '../handler.js';
import { runRequest } from '../pipeline.js';
import { type SummaryOptions, summaryFromInteraction } from '../requests/summary-request.js';
import { decodeSummaryOptions, encodeSummaryOptions } from '../summary-options.js';
import { labels, notices } from '../texts.js';

/** Text inputs of the "Paste an article" form after its title: 4 × 4,000 characters. */
export const PASTE_PARTS = 4;
/** Discord's largest text input value (characters). */
const MAX_TEXT_INPUT_CHARS = 4000;
/** Longest pasted title accepted (characters). */
const MAX_PASTE_TITLE_CHARS = 300;
/** The form's inputs: the optional title, then `part-1` … `part-4`. */
export const PASTE_FIELDS = { title: 'title', part: (n: number) => `part-${n}` } as const;

const PREFIX = 'verbatim:paste';

/** The custom id of this handler's component. */
const customId = (options: SummaryOptions) => `${PREFIX}:${encodeSummaryOptions(options)}`;

/**
 * The "Paste an article" form `/summarize` opens when given nothing (for texts longer than a
 * command option's 6,000 characters), carrying the command's options in its custom id. Its text:
 * the filled boxes, each trimmed, joined with blank lines (paragraph breaks), with its title (when
 * given) as the article's title, summarized as pasted text like `/summarize text:`. Only whitespace
 * in every box is refused with a private note.
 */
export const pasteModal = {
  type: 'modal',
  prefix: PREFIX,
  customId,
  parse: (customId: string) => decodeSummaryOptions(dataOf(customId, PREFIX)),
  /**
   * The form: an optional title and four 4,000-character boxes (Discord's most: 5 inputs of 4,000),
   * the first required.
   */
  modal: (options: SummaryOptions): APIModalInteractionResponseCallbackData => {
    const part = (n: number) => ({
      type: ComponentType.Label as const,
      label: n === 1 ? labels.pasteTextLabel : labels.pasteMoreLabel(n),
      component: {
        type: ComponentType.TextInput as const,
        custom_id: PASTE_FIELDS.part(n),
        style: TextInputStyle.Paragraph as const,
        max_length: MAX_TEXT_INPUT_CHARS,
        required: n === 1,
        ...(n === 1 ? { min_length: 1, placeholder: labels.pastePlaceholder } : {}),
      },
    });
    return {
      custom_id: customId(options),
      title: labels.pasteModalTitle,
      components: [
        {
          type: ComponentType.Label,
          label: labels.pasteTitleLabel,
          component: {
            type: ComponentType.TextInput,
            custom_id: PASTE_FIELDS.title,
            style: TextInputStyle.Short,
            max_length: MAX_PASTE_TITLE_CHARS,
            required: false,
          },
        },
        ...Array.from({ length: PASTE_PARTS }, (_, i) => part(i + 1)),
      ],
    };
  },
  run(interaction, options, ctx) {
    if (!inChannel(interaction)) throw new Error('a paste modal was submitted outside a channel');
    const pasted = pastedText(interaction);
    const input =
      pasted === null
        ? { refusal: notices.emptyPaste }
        : {
            kind: 'text' as const,
            text: pasted.text,
            source: 'discord:text',
            ...(pasted.title ? { title: pasted.title } : {}),
          };
    return runRequest(ctx, summaryFromInteraction(interaction, ctx, input, options));
  },
} satisfies ModalHandler<SummaryOptions> & {
  modal(options: SummaryOptions): APIModalInteractionResponseCallbackData;
};

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
  const parts = Array.from({ length: PASTE_PARTS }, (_, i) => value(PASTE_FIELDS.part(i + 1)));
  if (parts.every((p) => p === '')) return null;
  return { text: parts.filter((p) => p !== '').join('\n\n'), title: value(PASTE_FIELDS.title) };
}
