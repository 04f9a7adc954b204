import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it, type TestContext } from 'node:test';
import {
  Client,
  Events,
  GatewayIntentBits,
  type MessageReaction,
  type PartialMessageReaction,
  Partials,
  type PartialUser,
  type User,
} from 'discord.js';
import { type FakeDiscord, startFakeDiscord } from '../../../../testkit/fakes/discord/index.js';

type Reaction = { reaction: MessageReaction | PartialMessageReaction; user: User | PartialUser };

/** A client with reactions and partials (as the bot runs), without guild messages: nothing is cached. */
async function reactionClient(t: TestContext, fake: FakeDiscord, intents: GatewayIntentBits[]) {
  const client = new Client({
    intents,
    partials: [Partials.Message, Partials.Reaction, Partials.User],
    rest: { api: fake.apiUrl },
  });
  const errors: Error[] = [];
  const reactions: Reaction[] = [];
  client.on(Events.Error, (e) => errors.push(e));
  client.on(Events.MessageReactionAdd, (reaction, user) => void reactions.push({ reaction, user }));
  t.after(async () => {
    await client.destroy();
    await fake.close();
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  return { client, errors, reactions };
}

describe('fake Discord: reactions', () => {
  it('GIVEN a user reacts to a message the client never cached THEN MESSAGE_REACTION_ADD arrives as a partial with the member, and fetching the message gives its content', async (t) => {
    const fake = await startFakeDiscord({ messageContentEnabled: true });
    const { errors, reactions } = await reactionClient(t, fake, [
      GatewayIntentBits.Guilds,
      GatewayIntentBits.GuildMessageReactions,
    ]);
    const bob = fake.userByName('bob');
    const message = fake.postUserMessage({ content: 'read https://example.com/a' });
    assert.equal(fake.addUserReaction({ messageId: message.id, emoji: { name: '📰' }, user: bob }), true);
    assert.equal(
      fake.addUserReaction({ messageId: message.id, emoji: { name: '📰' }, user: bob }),
      false,
      'the same user and emoji twice is one reaction',
    );
    const custom = { id: '123456789012345678', name: 'readit' };
    fake.addUserReaction({ messageId: message.id, emoji: custom });
    const deadline = Date.now() + 3000;
    while (reactions.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const [first, second] = reactions;
    assert.ok(first && second, 'two reactions arrived');
    assert.equal(first.reaction.message.partial, true, 'an uncached message arrives partial');
    assert.equal(first.user.id, bob.id);
    assert.equal(first.user.bot, false);
    assert.equal(first.reaction.emoji.name, '📰');
    assert.equal(first.reaction.emoji.id, null);
    assert.equal(second.reaction.emoji.id, custom.id);
    const fetched = await first.reaction.message.fetch();
    assert.equal(fetched.content, 'read https://example.com/a');
    assert.equal(fetched.author.id, fake.user.id);
    assert.equal(fake.message(message.id)?.api.reactions?.length, 2, 'stored per emoji');
    assert.deepEqual(errors, []);
    assert.deepEqual(fake.problems(), []);
  });

  it('GIVEN a client without the Guild Message Reactions intent THEN reactions are not dispatched to it', async (t) => {
    const fake = await startFakeDiscord();
    const { client, reactions } = await reactionClient(t, fake, [GatewayIntentBits.Guilds]);
    const message = fake.postUserMessage({ content: 'hello' });
    fake.addUserReaction({ messageId: message.id, emoji: { name: '📰' } });
    // A dispatch it does get, sent after the reaction: the reaction would have arrived before it.
    const threadSeen = once(client, Events.ThreadCreate);
    fake.startUserThread({ name: 'later' });
    await threadSeen;
    assert.equal(reactions.length, 0);
    assert.deepEqual(fake.problems(), []);
  });
});
