import {
  type APIActionRowComponent,
  type APIStringSelectComponent,
  ComponentType,
  MessageFlags,
} from 'discord.js';
import { acknowledge } from '../context.js';
import type { SelectHandler } from '../handler.js';
import { SAFE_MENTIONS } from '../payloads.js';
import type { ShownQuote } from '../render/footnotes.js';
import { renderQuoteContext } from '../render/render-context.js';
import { labels, notices } from '../texts.js';

const PREFIX = 'verbatim:context';
/** Options per select menu (Discord: 25). */
const OPTIONS_PER_MENU = 25;
/** Characters of a quote shown as an option's description (Discord: 100). */
const DESCRIPTION_CHARS = 100;
/** Characters of the article's content hash a menu carries: enough to tell a refreshed text apart. */
const HASH_TAG_CHARS = 12;

/**
 * What a "Show context" menu refers to: the conversation (null: the one whose summary is the
 * message the menu is on), the tail of the article's content hash (a refresh changes it), and which
 * menu of the message it is (a message may carry several of 25 quotes each).
 */
export interface ContextMenuData {
  readonly conversationId: string | null;
  readonly articleTag: string;
  readonly part: number;
}

const customId = (d: ContextMenuData): string =>
  `${PREFIX}:${d.conversationId ?? '-'}:${d.articleTag}:${d.part}`;

function parse(id: string): ContextMenuData | null {
  const m = /^verbatim:context:(-|\d{1,20}):([0-9a-f]{1,16}):(\d)$/u.exec(id);
  if (!m) return null;
  const [, conversation = '-', articleTag = '', part = '0'] = m;
  return { conversationId: conversation === '-' ? null : conversation, articleTag, part: Number(part) };
}

/** An option's value: the quote's offsets in the article. */
function parseSpan(value: string): { readonly start: number; readonly end: number } | null {
  const m = /^(\d{1,9})-(\d{1,9})$/u.exec(value);
  return m ? { start: Number(m[1]), end: Number(m[2]) } : null;
}

/**
 * "Show context for [n]": the chosen quote with the paragraphs around it, privately, read from the
 * conversation's stored article (so after any restart too); says so plainly when the conversation
 * or its article is gone (Delete, `/forget`, a guild purge, retention) or its text changed.
 */
export const contextSelect = {
  type: 'select',
  prefix: PREFIX,
  customId,
  parse,
  async run(interaction, data, ctx) {
    await acknowledge(ctx, () => interaction.deferReply({ flags: MessageFlags.Ephemeral }));
    const tell = (content: string) =>
      interaction.editReply({ content, embeds: [], allowedMentions: SAFE_MENTIONS });
    const value = interaction.values[0] ?? '';
    const span = parseSpan(value);
    const option = interaction.component.options.find((o) => o.value === value);
    if (!span || !option) {
      await tell(notices.contextChanged);
      return 'bad_usage';
    }
    const conversationId = data.conversationId ?? interaction.message.id;
    const found = await ctx.bot.app.conversations.quoteContext(conversationId, data.articleTag, span);
    if (found.status !== 'ok') {
      ctx.log.info({ conversationId, status: found.status }, 'quote context unavailable');
      await tell(found.status === 'gone' ? notices.contextGone : notices.contextChanged);
      return found.status === 'gone' ? 'unreadable' : 'bad_usage';
    }
    const label = option.label.slice(labels.contextOption('').length);
    await interaction.editReply({
      content: notices.contextShown,
      embeds: [renderQuoteContext(found.article, found.surroundings, label)],
      allowedMentions: SAFE_MENTIONS,
    });
    return 'ok';
  },
} satisfies SelectHandler<ContextMenuData>;

/**
 * The "Show context" menus for the quotes a summary or an answer shows: one per 25 quotes, at most
 * `maxMenus` (the rows left of a message's 5); none without quotes. `conversationId` null: the
 * conversation whose summary is the message the menus go on (its id is known only once sent).
 */
export function contextMenuRows(
  quotes: readonly ShownQuote[],
  ref: { readonly conversationId: string | null; readonly articleHash: string },
  maxMenus: number,
): APIActionRowComponent<APIStringSelectComponent>[] {
  const articleTag = ref.articleHash.replace(/^sha256:/u, '').slice(-HASH_TAG_CHARS);
  const rows: APIActionRowComponent<APIStringSelectComponent>[] = [];
  for (let part = 0; part < maxMenus && part * OPTIONS_PER_MENU < quotes.length; part++) {
    const chunk = quotes.slice(part * OPTIONS_PER_MENU, (part + 1) * OPTIONS_PER_MENU);
    const first = chunk[0]?.label.split(' · ')[0] ?? '';
    const last = chunk.at(-1)?.label.split(' · ')[0] ?? '';
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: customId({ conversationId: ref.conversationId, articleTag, part }),
          placeholder: labels.contextMenu(first, last),
          min_values: 1,
          max_values: 1,
          options: chunk.map(({ label, quote }) => ({
            label: labels.contextOption(label).slice(0, 100),
            value: `${quote.start}-${quote.end}`,
            description: describe(quote.text),
          })),
        },
      ],
    });
  }
  return rows;
}

/** The start of a quote, on one line, within an option description's 100 characters. */
function describe(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  const chars = Array.from(flat);
  return chars.length <= DESCRIPTION_CHARS ? flat : `${chars.slice(0, DESCRIPTION_CHARS - 1).join('')}…`;
}
