import type { BudgetLimits, LimitSource, UsageReport } from '../app/budget.js';
import { DEFAULT_REACTION_EMOJI, type ServerDefaults } from '../app/server-settings.js';
import type { Failure, ReasonCode } from '../core/result.js';
import type { BudgetScope } from '../engines/engine.js';

/**
 * Every sentence Verbatim says on Discord, in one place: the message for each failure reason code
 * of the core, the bot's own notices, and the labels its summaries and answers are drawn with.
 * Short, friendly, and each says what to do next. Never an error's own text, never a stack trace:
 * details go to the log under the request id that `unexpected` shows.
 */

const bytes = (n: unknown): string | null => {
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)} MB`;
  if (n >= 1000) return `${Math.round(n / 1000)} KB`;
  return `${n} bytes`;
};

const FAILURES: Readonly<Record<ReasonCode, (d: Readonly<Record<string, unknown>>) => string>> = {
  empty_input: () => 'There is no text to summarize there. Check the link, file or text and try again.',
  too_large: (d) => {
    const limit = bytes(d.limit);
    if (typeof d.chars === 'number') {
      return 'That article is too long for me to read. Try a shorter article, or paste the part you care about with `/summarize text:`.';
    }
    if (d.reason === 'pages' && typeof d.limit === 'number') {
      return `That PDF has too many pages for me (I read up to ${d.limit.toLocaleString('en-US')}). Try a shorter document, or paste the part you care about with \`/summarize text:\`.`;
    }
    if (d.reason === 'memory') {
      return 'That document needs more memory than I may use to read it. Try a smaller file, or paste the part you care about with `/summarize text:`.';
    }
    return `That is too big for me${limit ? ` (the limit is ${limit})` : ''}. Try a smaller file, or paste the part you care about with \`/summarize text:\`.`;
  },
  unsupported_type: () =>
    'I can read web pages, PDF files, and text, Markdown or HTML files, but not that kind of file.',
  not_an_article: () =>
    'That page does not look like an article (it may be a home page, a login or a paywall). Try the link to the article itself, or paste its text with `/summarize text:`.',
  unreadable: (d) =>
    d.reason === 'charset'
      ? 'I could not decode that text: it is not in the character set it claims, and I could not tell which one it uses. Save it as UTF-8, or paste the text with `/summarize text:`.'
      : 'I could not read that document (it may be damaged, encrypted or scanned). Try pasting its text with `/summarize text:`.',
  bad_usage: (d) =>
    d.reason === 'discord_link'
      ? 'I read Discord messages only through `/summarize url:` with the message’s link (or the **Summarize** app command on the message), not as web pages.'
      : 'That request is missing something. Check the command options and try again.',
  invalid_url: () => 'That does not look like a web link. Use a full address that starts with `https://`.',
  blocked_address: () =>
    'I cannot open that address: it points to a private or local network. Links must be public web pages.',
  timeout: (d) => {
    switch (d.step) {
      case 'fetch':
        return 'The site took too long to answer. Try again later, or paste the text with `/summarize text:`.';
      case 'download':
        return 'Getting the file from Discord took too long. Try again in a minute.';
      case 'read':
      case 'parse':
        return 'Reading that document took me too long (it may be very large or unusually built). Try a smaller file, or paste the part you care about with `/summarize text:`.';
      case 'engine':
        return 'Working on that article took me too long. Try again in a minute.';
      default:
        return 'That took me too long. Try again in a minute.';
    }
  },
  fetch_failed: (d) => {
    if (typeof d.status === 'number') {
      return d.status === 404 || d.status === 410
        ? 'That page was not found (the site answered 404). Check the link.'
        : `The site refused to give me the page (HTTP ${d.status}). Try again later, or paste the text with \`/summarize text:\`.`;
    }
    if (d.reason === 'dns') return 'That site could not be found. Check the link for typos.';
    return 'I could not reach that site. Check the link, or paste the text with `/summarize text:`.';
  },
  unsupported_option: () => 'That option is not available here. Try again without it.',
  engine_unavailable: () => 'My summarizer is not set up correctly. Please tell the server admins.',
  rate_limited: () => 'The AI service is asking me to slow down. Try again in a minute.',
  auth_failed: () => 'The AI service refused my credentials. Please tell the server admins.',
  context_too_long: () =>
    'That article is too long for the AI model. Try a shorter article, or paste the part you care about.',
  refused: () => 'The AI model declined to work on this article.',
  engine_failed: () => 'Summarizing failed on the AI service’s side. Try again in a minute.',
  budget_exhausted: () => 'Today’s usage budget is used up. Try again tomorrow.',
  busy: () => 'I am busy with other requests right now. Try again in a minute.',
};

/** The message a user sees for a failure from the core. */
export function failureMessage(failure: Failure): string {
  return FAILURES[failure.code](failure.details ?? {});
}

const seconds = (ms: number): string => {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s === 1 ? '1 second' : `${s} seconds`;
};

const count = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** What `/forget` shows before deleting (the store's `UserDataCounts`). */
export interface KeptAboutUser {
  readonly threads: number;
  readonly turns: number;
  readonly usageDays: number;
  readonly jobs: number;
  /** Auto-summary channel settings that name them as the admin who turned them on. */
  readonly autoSummaryChannels?: number;
  /** Servers whose settings (`/budget`, `/settings`) name them as who last changed them. */
  readonly settings: number;
}

/** What `/forget` deleted: the counts shown before, pasted texts deleted and bot messages removed. */
export interface ForgottenAboutUser extends KeptAboutUser {
  readonly texts: number;
  readonly messages: number;
}
/** "A", "A and B", "A, B and C": permission names as one phrase. */
const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/**
 * What `/forget` counts, one phrase per kind, leaving out the kinds with none ("usage counts for
 * 0 days" says nothing); `withQuestions` adds that a summary's questions go with it.
 */
function keptLines(kept: KeptAboutUser, withQuestions = true): string[] {
  const summaries = count(kept.threads, 'summary', 'summaries');
  return [
    ...(kept.threads > 0
      ? [
          withQuestions
            ? `${summaries} you asked for, with the questions asked about ${kept.threads === 1 ? 'it' : 'them'}`
            : `${summaries} you asked for`,
        ]
      : []),
    ...(kept.turns > 0 ? [`${count(kept.turns, 'question')} you asked`] : []),
    ...(kept.usageDays > 0 ? [`usage counts for ${count(kept.usageDays, 'day')}`] : []),
    ...(kept.jobs > 0 ? [`${count(kept.jobs, 'request')} in progress`] : []),
    ...((kept.autoSummaryChannels ?? 0) > 0
      ? [
          withQuestions
            ? `your name on ${count(kept.autoSummaryChannels ?? 0, 'channel')} where you turned auto-summaries on (they stay on, without your name)`
            : `your name on ${count(kept.autoSummaryChannels ?? 0, 'auto-summary channel setting')}`,
        ]
      : []),
    ...(kept.settings > 0
      ? [
          `your name as who last changed the settings of ${count(kept.settings, 'server')} (the settings stay)`,
        ]
      : []),
  ];
}

/** The bot's own notices (not failures of the core). */
export const notices = {
  queueDown: 'I am busy right now and could not take your request. Try again shortly.',
  noSource: 'Give me something to summarize: a `url`, some `text`, or a `file`.',
  oneSource: 'Give me just one thing to summarize: a `url`, some `text`, or a `file`, not several.',
  nothingInMessage: 'That message has no link, file or text for me to summarize.',
  /** The one answer for every message link Verbatim will not open: never says whether it exists. */
  cannotOpenMessage:
    'I can’t open that message. Use a link to a message in this server that you can see, in a channel I can read (I need View Channel and Read Message History there).',
  linkedMessageEmpty:
    'I can see that message but none of its text, files or links. If it has text, my Message Content intent may be off: ask the bot’s operator, or paste the text with `/summarize text:`.',
  contextGone:
    'I no longer keep the article this quote is from (its summary was deleted or forgotten, or it is older than I keep articles). Summarize the article again to see quotes in context.',
  contextShown: '-# The quote in bold, with the paragraphs before and after it.',
  contextChanged:
    'The article changed since this was written (the summary was refreshed). Use the menu under the new summary or answer.',
  attachmentTooLarge: (size: number, limit: number) =>
    `That file is ${bytes(size)}; I read files up to ${bytes(limit)}. Try a smaller file or a link.`,
  attachmentType: 'I can read PDF files and text, Markdown or HTML files (.txt, .md, .html, .pdf).',
  attachmentSource: 'I only download files that were uploaded to Discord.',
  summariesRateLimited: (ms: number) =>
    `You have asked for several summaries in a short time. Try again in ${seconds(ms)}.`,
  questionsRateLimited: (ms: number) =>
    `You have asked several questions in a short time. Try again in ${seconds(ms)}.`,
  notASummaryThread:
    'Use `/ask` inside the thread under one of my summaries, or press **Ask a question** under a summary.',
  conversationGone:
    'This conversation is no longer available: its summary was deleted, or it is older than I keep conversations. Summarize the article again to ask about it.',
  notRequester: 'Only the person who asked for this summary can delete it.',
  deleted: 'Deleted the summary and what I kept about it.',
  refreshed:
    'The article has changed: I summarized it again, and questions are now answered from the new text.',
  refreshNotInPlace:
    'I could not update the summary in this channel (I may be missing a permission here), so here is the refreshed summary, just for you.',
  refreshUnchanged:
    'The article has not changed since it was summarized; the summary now shows when I fetched it again.',
  refreshTooSoon: (unixSeconds: number) =>
    `I fetched that page <t:${unixSeconds}:R>, so I did not fetch it again. Try again in a minute.`,
  refreshedInThread: (unixSeconds: number) =>
    `The article was refreshed (fetched <t:${unixSeconds}:R>) and has changed; answers now come from its new text.`,
  emptyPaste:
    'There was no text to summarize in the boxes. Paste the article’s text into **Text** and try again.',
  emptyQuestion: 'Ask me a question about the article, for example: “Who is quoted, and what did they say?”',
  cannotSeeReply:
    'I can only read replies that keep the @ mention on (or messages that mention me). Ask again with the mention on.',
  mentionHelp:
    'Mention me with a link to summarize it, or use `/summarize`. In a summary’s thread, reply to me or mention me with a question.',
  answeredInThread: (threadId: string) => `Answered in <#${threadId}>.`,
  shuttingDown: 'I am restarting. Try again in a minute.',
  interrupted: 'I restarted while working on this. Please ask again.',
  forgetPreview: (kept: KeptAboutUser) =>
    [
      'Here is what I keep about you, in every server and in DMs:',
      ...keptLines(kept).map((line) => `• ${line}`),
      '',
      'Delete it all? I also delete my messages with those summaries where I still can, close their threads, and delete texts you pasted or uploaded unless someone else’s summary uses them. Pages fetched from public links are not about you: they stay cached until they expire.',
    ].join('\n'),
  forgetNothing: 'I keep nothing about you: no summaries you asked for, no questions, no usage.',
  forgetWorking: 'Deleting…',
  forgetCancelled: 'Nothing was deleted.',
  forgotten: (done: ForgottenAboutUser) => {
    const deleted = [
      ...keptLines(done, false),
      ...(done.texts > 0 ? [`${count(done.texts, 'text')} you pasted or uploaded`] : []),
    ];
    const removed = done.messages > 0 ? `; removed ${count(done.messages, 'message')} of mine` : '';
    return `Deleted ${deleted.length > 0 ? list(deleted) : 'everything I kept about you'}${removed}.`;
  },
  notYourButtons: 'Only the person who used `/forget` can use these buttons.',
  interruptedRetry: 'I restarted while working on this. Press **Try again** to run it again.',
  stoppedRetry: 'I had to restart while working on this. Press **Try again** in a moment to run it again.',
  retryNotYours: 'Only the person who asked for this can try it again.',
  retryTooOld: 'This request is too old to try again. Please ask again.',
  retryTaken:
    'This request was already tried again, or is no longer kept (it may have been deleted). If you still need it, ask again.',
  retryGone: 'I no longer have what this request needs (it may have been deleted). Please ask again.',
  retryFileGone: 'Discord no longer serves that file to me. Upload it again with `/summarize file:`.',
  /** Side notes above a summary (Discord's small "-#" subtext), like `plainText` below a plain one. */
  noThreadMissing: (missing: readonly string[]) =>
    `-# No thread for questions here: I am missing the ${list(missing)} permission${missing.length === 1 ? '' : 's'} in this channel. Ask with the **Ask a question** button.`,
  noThreadHere: '-# This kind of channel has no threads: ask with the **Ask a question** button.',
  noThreadNotMember:
    '-# I am not a member of this server, so there is no thread for questions: ask with the **Ask a question** button.',
  threadLocked: 'The thread under this summary is locked, so I answered here, just for you.',
  threadUnavailable: 'I cannot post in the thread under this summary, so I answered here, just for you.',
  plainText: '-# Shown as plain text: I am missing the Embed Links permission in this channel.',
  unexpected: (requestId: string) =>
    `Something went wrong on my side. Try again; if it keeps happening, tell the server admins (reference ${requestId}).`,
} as const;

/** Progress lines shown in place of "thinking…" while a step takes noticeably long. */
export const progress = {
  fetching: 'Fetching the page…',
  reading: 'Reading the file…',
  retrying: 'Trying again…',
  waiting: 'Waiting for a free slot…',
  summarizing: 'Summarizing…',
  answering: 'Looking for the answer in the article…',
} as const;

/** Labels of summaries, answers, threads and buttons. */
export const labels = {
  summary: 'Summary',
  keyPoints: 'Key points',
  question: 'Q:',
  doesNotSay: 'The article doesn’t say.',
  notDirectly: 'The article doesn’t answer this directly.',
  nearest: 'The closest it comes (not an answer)',
  unsupported: (n: number) =>
    `${n} ${n === 1 ? 'claim' : 'claims'} shown in the article’s own words: the wording did not match the quotes`,
  threadInvite: 'Reply to this message or mention me with a question about the article.',
  askButton: 'Ask a question',
  deleteButton: 'Delete',
  retryButton: 'Try again',
  askModalTitle: 'Ask about the article',
  askModalLabel: 'Your question',
  askModalPlaceholder: 'What does the article say about…?',
  by: (byline: string) => `By ${byline}`,
  minutesRead: (n: number) => `${n} min read`,
  /** A Discord timestamp: each reader sees it relative to now, in their own time zone on hover. */
  fetched: (unixSeconds: number) => `fetched <t:${unixSeconds}:R>`,
  refreshButton: 'Refresh',
  pasteModalTitle: 'Paste an article',
  pasteTitleLabel: 'Title (optional)',
  pasteTextLabel: 'Text',
  pasteMoreLabel: (n: number) => `More text, part ${n} (optional)`,
  pastePlaceholder: 'Paste the article here; continue in the next box at a paragraph break.',
  pastedText: 'Pasted text',
  discordMessage: 'A Discord message',
  /** The title of a summary of a linked message's text: whose message, and where. */
  linkedMessage: (author: string, channel: string) => `Message from ${author} in #${channel}`,
  openAtQuote: '↗',
  /** The menu's placeholder: numbered footnotes as a range, quotes drawn in place without one. */
  contextMenu: (first: string, last: string) =>
    !first.startsWith('[')
      ? 'Show context for a quote…'
      : first === last
        ? `Show context for ${first}`
        : `Show context for ${first} … ${last}`,
  contextOption: (label: string) => `Show context for ${label}`,
  contextHeading: (label: string) => `Context for ${label}`,
  contextOpen: 'Open the page at this quote',
  contextOpenMessage: 'Open the message',

  quotesFound: (verified: number, proposed: number) => `${verified}/${proposed} quotes found in the article`,
  fellBack: (code: string) => `fell back to offline engine: ${code}`,
  language: (used: string | null, wanted: string) =>
    `in ${used ? languageName(used) : 'the article’s language'}: the offline engine can’t translate to ${languageName(wanted)}`,
  /** In the footer, beside the engine's name; the notice in the description says when it resets. */
  budgetSpent: (scope: BudgetScope) =>
    `not enough of ${scope === 'guild' ? 'this server’s' : 'your'} model budget left today`,
  /** "Too little left" rather than "spent": `/usage` may still show tokens left, just not enough. */
  budgetNotice: (scope: BudgetScope, resetsAt: number) =>
    `*${scope === 'guild' ? 'This server’s' : 'Your'} AI model budget for today has too little left for this, so my offline engine wrote it (quotes from the article, no AI). The budget resets ${discordTime(resetsAt)}; \`/usage\` shows what is left.*`,
  deletedThread: 'Deleted summary',
  forgetConfirmButton: 'Delete it all',
  forgetCancelButton: 'Cancel',
  askedBy: (userId: string) => `<@${userId}> asked:`,
  untitled: 'Article',
} as const;

/** A Discord timestamp shown relative to the reader's clock ("in 5 hours"). */
const discordTime = (ms: number): string => `<t:${Math.floor(ms / 1000)}:R>`;

const tokens = (n: number): string => `${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}`;

const whoSet: Readonly<Record<LimitSource, string>> = {
  default: 'the bot’s default',
  guild: 'set by this server’s admins',
  ceiling: 'the bot’s maximum',
};

function limitLine(label: string, limit: number | null, source: LimitSource): string {
  if (limit === null) return `${label}: no limit`;
  if (limit === 0) return `${label}: 0 tokens, offline engine only (${whoSet[source]})`;
  return `${label}: ${tokens(limit)} a day (${whoSet[source]})`;
}

function spentLine(
  label: string,
  spent: { requests: number; inputTokens: number; outputTokens: number },
  limit: number | null,
): string {
  const used = spent.inputTokens + spent.outputTokens;
  const requests = `${spent.requests} model request${spent.requests === 1 ? '' : 's'}`;
  if (limit === null) return `${label}: ${tokens(used)} (${requests}), no limit`;
  return `${label}: ${tokens(used)} of ${limit.toLocaleString('en-US')} (${requests}), ${Math.max(0, limit - used).toLocaleString('en-US')} left`;
}

/** What `/usage` and `/budget` say. */
export const budgetText = {
  offlineOnly:
    'No AI model is set up: my offline engine writes every summary and answer (quotes from the article), so no budget applies.',
  usage: (report: UsageReport): string =>
    [
      `**AI model usage today** (UTC day ${report.day}; resets ${discordTime(report.resetsAt)})`,
      ...(report.guild ? [spentLine('This server', report.guild, report.limits.guild)] : []),
      spentLine('You', report.user, report.limits.member),
      '',
      limitLine(
        report.guild ? 'Server limit' : 'Limit in direct messages',
        report.guild ? report.limits.guild : report.limits.member,
        report.guild ? report.sources.guild : report.sources.member,
      ),
      ...(report.guild ? [limitLine('Per member', report.limits.member, report.sources.member)] : []),
      '',
      'When a budget has too little left for a request, my offline engine answers it instead, until the budget resets. Cached summaries cost nothing.',
    ].join('\n'),
  inForce: (limits: BudgetLimits, sources: UsageReport['sources']): string =>
    [
      limitLine('Server', limits.guild, sources.guild),
      limitLine('Each member', limits.member, sources.member),
    ].join('\n'),
  updated: 'Budget updated. Now in force:',
  current: 'This server’s daily AI model budget:',
  clamped: (asked: number, ceiling: number) =>
    `You asked for ${tokens(asked)}; the bot’s operator allows at most ${tokens(ceiling)} a day, so that applies.`,
  howToChange:
    'Change it with `/budget server_tokens:` or `member_tokens:` (0: offline engine only), or `/budget reset:True`.',
  guildOnly: 'Use `/budget` in a server.',
} as const;

const AUTO_LENGTH: Readonly<Record<string, string>> = {
  short: 'short summaries',
  standard: 'standard summaries',
  detailed: 'detailed summaries',
};

/** One channel where auto-summaries are on, as `/autosummarize` lists it. */
export interface AutoSummaryLine {
  readonly channelId: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly length: string | null;
  readonly updatedBy: string | null;
}

function autoOptions(line: Omit<AutoSummaryLine, 'channelId' | 'updatedBy'>): string {
  const parts = [
    line.length ? (AUTO_LENGTH[line.length] ?? line.length) : 'standard summaries',
    ...(line.include.length > 0 ? [`only ${line.include.join(', ')}`] : []),
    ...(line.exclude.length > 0 ? [`not ${line.exclude.join(', ')}`] : []),
  ];
  return parts.join('; ');
}

/** What `/autosummarize` and the channels where it is on say. */
export const autoText = {
  guildOnly: 'Use `/autosummarize` in a server.',
  noIntent:
    'I can’t turn auto-summaries on: without the **Message Content** intent, Discord doesn’t show me the text of ordinary messages, so I would never see the links. To enable it, the bot’s operator switches on **Message Content Intent** in the Developer Portal (Bot → Privileged Gateway Intents) and sets `DISCORD_MESSAGE_CONTENT=true`, then restarts me. Then run this command again.',
  noIntentList:
    '-# The Message Content intent is off, so no links are summarized by themselves: see the README (`DISCORD_MESSAGE_CONTENT=true` and the portal switch).',
  chooseState:
    'Say `state: on` or `state: off` with those options (or use `/autosummarize` alone to see where it is on).',
  badDomains: (which: string) =>
    `I could not read the domains in \`${which}\`. List host names separated by commas or spaces, like \`example.com, news.example.org\`.`,
  wrongChannel: 'Auto-summaries work in text and announcement channels. Pick one of those.',
  cannotPost: (channelId: string, missing: readonly string[]) =>
    `I can’t post in <#${channelId}>: I am missing the ${list(missing)} permission${missing.length === 1 ? '' : 's'} there. Give me ${missing.length === 1 ? 'it' : 'them'}, then run this command again.`,
  on: (channelId: string, options: Omit<AutoSummaryLine, 'channelId' | 'updatedBy'>) =>
    `Auto-summaries are on in <#${channelId}> (${autoOptions(options)}). Each link people post there gets a summary as a reply (up to 3 per message), charged to whoever posted it. Pages that are not articles get no reply.`,
  noThreadThere: (missing: readonly string[]) =>
    `-# I am missing the ${list(missing)} permission${missing.length === 1 ? '' : 's'} there, so summaries will have no thread for questions.`,
  off: (channelId: string) => `Auto-summaries are off in <#${channelId}>.`,
  wasOff: (channelId: string) => `Auto-summaries were not on in <#${channelId}>; nothing changed.`,
  none: 'Auto-summaries are not on in any channel of this server. Turn them on with `/autosummarize state: on` in a channel (or pick one with `channel:`).',
  list: (lines: readonly AutoSummaryLine[]) =>
    [
      'Auto-summaries are on in:',
      ...lines.map(
        (l) =>
          `• <#${l.channelId}>: ${autoOptions(l)}${l.updatedBy ? `, turned on by <@${l.updatedBy}>` : ''}`,
      ),
    ].join('\n'),
  /** The one line posted instead of a second summary of the same link in a channel within a day. */
  duplicate: (jumpLink: string, postedAtMs: number) =>
    `This link was already summarized here ${discordTime(postedAtMs)}: ${jumpLink}`,
} as const;

/** An English name for a language tag ("French"), or the tag itself. */
export function languageName(tag: string): string {
  try {
    const name = new Intl.DisplayNames(['en'], { type: 'language' }).of(tag);
    return name && name !== tag ? name : tag;
  } catch {
    return tag;
  }
}

/** What `/settings` says. */
export const settingsText = {
  guildOnly: 'Use `/settings` in a server.',
  current: '**This server’s defaults for summaries**',
  updated: '**Settings saved.** This server’s defaults for summaries are now:',
  lines: (defaults: ServerDefaults): string[] => [
    `• Length: ${defaults.length ?? 'standard (the bot’s default)'}`,
    `• Language: ${defaults.language === null ? 'each reader’s Discord language (the article’s own for mentions and reactions)' : defaults.language === 'original' ? 'the article’s own' : languageName(defaults.language)}`,
    `• Private: ${defaults.privateSummaries ? 'yes, only the person who asks sees a summary from `/summarize` or the Summarize menu' : 'no, summaries are posted in the channel'}`,
    `• Reaction that asks for a summary: ${defaults.reactionEmoji ?? `${DEFAULT_REACTION_EMOJI} (the bot’s default)`}`,
  ],
  lastChanged: (userId: string | null, at: number | null): string | null =>
    at === null ? null : `-# Last changed${userId === null ? '' : ` by <@${userId}>`} ${discordTime(at)}.`,
  howToChange:
    'Change them with `/settings length:`, `language:`, `private:` or `reaction_emoji:`; `reset:` puts one back. A request’s own options (`/summarize length:` and so on) still win.',
  notAnEmoji: (given: string) =>
    `“${given.slice(0, 100)}” is not an emoji I can watch for. Give one emoji, like 📰, or a custom emoji of a server (pick it with the emoji button).`,
} as const;
