import { type APIActionRowComponent, type APIButtonComponent, ButtonStyle, ComponentType } from 'discord.js';
import { tellPrivately } from '../boundary.js';
import { acknowledge, type RequestContext } from '../context.js';
import { type ButtonHandler, dataOf } from '../handler.js';
import { SAFE_MENTIONS } from '../payloads.js';
import { closeThread, deleteSummaryMessages } from '../summary-removal.js';
import { type ForgottenAboutUser, labels, notices } from '../texts.js';

/** A press of one of `/forget`'s buttons: which, and the user they were made for. */
interface ForgetChoice {
  readonly action: 'confirm' | 'cancel';
  readonly ownerId: string;
}

const PREFIX = 'verbatim:forget';

/** The custom id of this handler's component. */
const customId = (choice: ForgetChoice) => `${PREFIX}:${choice.action}:${choice.ownerId}`;

/**
 * `/forget`'s buttons. Only the user they were made for may press them (anyone else is told so and
 * nothing happens). Confirm deletes everything kept about that user and the bot's messages of their
 * summaries, then says what was deleted; Cancel deletes nothing.
 */
export const forgetButtons = {
  type: 'button',
  prefix: PREFIX,
  customId,
  parse: (customId: string): ForgetChoice | null => {
    const [action, ownerId, ...rest] = (dataOf(customId, PREFIX) ?? '').split(':');
    if ((action !== 'confirm' && action !== 'cancel') || !ownerId || rest.length > 0) return null;
    return { action, ownerId };
  },
  async run(interaction, { action, ownerId }, ctx) {
    if (interaction.user.id !== ownerId) {
      await acknowledge(ctx, () => tellPrivately(interaction, notices.notYourButtons));
      return 'bad_usage';
    }
    if (action === 'cancel') {
      await acknowledge(ctx, () =>
        interaction.update({
          content: notices.forgetCancelled,
          components: [],
          allowedMentions: SAFE_MENTIONS,
        }),
      );
      return 'ok';
    }
    // Removing the buttons first means a second press cannot start a second deletion.
    await acknowledge(ctx, () =>
      interaction.update({ content: notices.forgetWorking, components: [], allowedMentions: SAFE_MENTIONS }),
    );
    const done = await forgetEverything(ctx, ownerId);
    ctx.log.info({ ...done }, 'user data forgotten at their request');
    await interaction.editReply({ content: notices.forgotten(done), allowedMentions: SAFE_MENTIONS });
    return 'ok';
  },
} satisfies ButtonHandler<ForgetChoice>;

/** `/forget`'s Confirm and Cancel buttons, bound to the user who asked. */
export function forgetButtonRow(userId: string): APIActionRowComponent<APIButtonComponent>[] {
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Danger,
          custom_id: customId({ action: 'confirm', ownerId: userId }),
          label: labels.forgetConfirmButton,
        },
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: customId({ action: 'cancel', ownerId: userId }),
          label: labels.forgetCancelButton,
        },
      ],
    },
  ];
}

/**
 * Deletes what is kept about a user (`UserData.forget`), then the bot's messages of their
 * summaries and their threads, where Discord still lets it.
 */
async function forgetEverything(ctx: RequestContext, userId: string): Promise<ForgottenAboutUser> {
  const { deliveries, ...forgotten } = await ctx.bot.app.userData.forget(userId);
  let messages = 0;
  for (const sent of deliveries) {
    // Private summaries' messages cannot be deleted as the bot: expected, so only logged at debug.
    messages += await deleteSummaryMessages(ctx, sent.channelId, sent.messageIds, 'debug');
    if (sent.threadId) await closeThread(ctx, sent.threadId);
  }
  return { ...forgotten, messages };
}
