import type { Failure, ReasonCode } from '../core/result.js';

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
    return `That is too big for me${limit ? ` (the limit is ${limit})` : ''}. Try a smaller file, or paste the part you care about with \`/summarize text:\`.`;
  },
  unsupported_type: () =>
    'I can read web pages, PDF files, and text, Markdown or HTML files, but not that kind of file.',
  not_an_article: () =>
    'That page does not look like an article (it may be a home page, a login or a paywall). Try the link to the article itself, or paste its text with `/summarize text:`.',
  unreadable: () =>
    'I could not read that document (it may be damaged, encrypted or scanned). Try pasting its text with `/summarize text:`.',
  bad_usage: () => 'That request is missing something. Check the command options and try again.',
  invalid_url: () => 'That does not look like a web link. Use a full address that starts with `https://`.',
  blocked_address: () =>
    'I cannot open that address: it points to a private or local network. Links must be public web pages.',
  timeout: () =>
    'The site took too long to answer. Try again later, or paste the text with `/summarize text:`.',
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

/** "A", "A and B", "A, B and C": permission names as one phrase. */
const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

/** The bot's own notices (not failures of the core). */
export const notices = {
  noSource: 'Give me something to summarize: a `url`, some `text`, or a `file`.',
  oneSource: 'Give me just one thing to summarize: a `url`, some `text`, or a `file`, not several.',
  nothingInMessage: 'That message has no link, file or text for me to summarize.',
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
    'I no longer have that article (its summary was deleted). Summarize it again to ask about it.',
  notRequester: 'Only the person who asked for this summary can delete it.',
  deleted: 'Deleted the summary and what I kept about it.',
  emptyQuestion: 'Ask me a question about the article, for example: “Who is quoted, and what did they say?”',
  cannotSeeReply:
    'I can only read replies that keep the @ mention on (or messages that mention me). Ask again with the mention on.',
  mentionHelp:
    'Mention me with a link to summarize it, or use `/summarize`. In a summary’s thread, reply to me or mention me with a question.',
  answeredInThread: (threadId: string) => `Answered in <#${threadId}>.`,
  shuttingDown: 'I am restarting. Try again in a minute.',
  interrupted: 'I restarted while working on this. Please ask again.',
  noThreadMissing: (missing: readonly string[]) =>
    `No thread for questions here: I am missing the ${list(missing)} permission${missing.length === 1 ? '' : 's'} in this channel. Ask with the **Ask a question** button.`,
  noThreadHere: 'This kind of channel has no threads: ask with the **Ask a question** button.',
  noThreadNotMember:
    'I am not a member of this server, so there is no thread for questions: ask with the **Ask a question** button.',
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
  threadInvite: 'Reply to this message or mention me with a question about the article.',
  askButton: 'Ask a question',
  deleteButton: 'Delete',
  askModalTitle: 'Ask about the article',
  askModalLabel: 'Your question',
  askModalPlaceholder: 'What does the article say about…?',
  by: (byline: string) => `By ${byline}`,
  minutesRead: (n: number) => `${n} min read`,
  pastedText: 'Pasted text',
  openAtQuote: '↗',
  quotesFound: (verified: number, proposed: number) => `${verified}/${proposed} quotes found in the article`,
  fellBack: (code: string) => `fell back to offline engine: ${code}`,
  language: (used: string | null, wanted: string) =>
    `in ${used ? languageName(used) : 'the article’s language'}: the offline engine can’t translate to ${languageName(wanted)}`,
  deletedThread: 'Deleted summary',
  askedBy: (userId: string) => `<@${userId}> asked:`,
  untitled: 'Article',
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
