/** A fake Discord (REST, gateway, file server, test driver) for end-to-end tests of the real discord.js client. */
export { DiscordHttpError, type ErrorTree, type FieldError } from './errors.js';
export {
  type ButtonInput,
  type ChannelSeed,
  FakeDiscord,
  type FakeDiscordOptions,
  type GuildSeed,
  type MessageContextMenuInput,
  type ModalSubmitInput,
  type SelectInput,
  type SlashCommandInput,
  startFakeDiscord,
  type ThreadSeed,
  type UserMessageInput,
  type UserSeed,
} from './fake-discord.js';
export type { GatewayStats, ShardId } from './gateway.js';
export type { RecordedRequest } from './http-server.js';
export type { InteractionOrigin, OptionValue } from './interaction-payloads.js';
export { type InteractionCondition, InteractionHandle, type InteractionKind } from './interaction-record.js';
export {
  ChannelType,
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_MEMBER_PERMISSIONS,
  Intent,
  LIMITS,
  MessageFlag,
  Permission,
} from './limits.js';
export type {
  ApiAttachment,
  ApiChannel,
  ApiCommand,
  ApiMessage,
  ApiUser,
  RecordedPayload,
  StoredMessage,
} from './model.js';
export type { BucketLimit } from './rate-limits.js';
export type { CommandRegistration } from './routes-app.js';
export { guildIdOnShard, shardOf } from './snowflake.js';
