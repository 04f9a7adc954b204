import { type ChatRequestBody, type FakeReply, type FakeRequest, reply } from './server.js';

/**
 * Builds plausible model replies from a request, the way a well-behaved model would: claims are
 * real sentences of the article in the user message, quoted verbatim. Tests start from these and
 * break one thing at a time (a fabricated quote, a wrong name…).
 */

export type FakeTask = 'summary' | 'map' | 'reduce' | 'answer' | 'repair';

export function systemMessage(body: ChatRequestBody): string {
  return body.messages.find((m) => m.role === 'system')?.content ?? '';
}

export function userMessage(body: ChatRequestBody): string {
  return body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

/** The task a request asks for, from its schema name (structured output) or its reply example (JSON mode). */
export function taskOf(body: ChatRequestBody): FakeTask {
  const name = body.response_format?.json_schema?.name;
  if (name === 'summary' || name === 'map' || name === 'reduce' || name === 'answer' || name === 'repair')
    return name;
  const user = userMessage(body);
  if (user.includes('{"repairs"')) return 'repair';
  if (user.includes('{"answerable"')) return 'answer';
  if (user.includes('{"points"')) return 'map';
  if (user.includes('"points": [')) return 'reduce';
  return 'summary';
}

/** The text between `<tag id="X">` and `</tag id="X">` in the user message, or null. */
export function taggedBlock(body: ChatRequestBody, tag: string): string | null {
  const re = new RegExp(`<${tag} id="([^"]+)">\\n([\\s\\S]*?)\\n</${tag} id="\\1">`);
  return re.exec(userMessage(body))?.[2] ?? null;
}

export function articleIn(body: ChatRequestBody): string {
  return taggedBlock(body, 'article') ?? '';
}

/** Sentences of plain prose, by punctuation; good enough for fixtures. */
export function roughSentences(text: string): string[] {
  return text
    .split(/\n+/)
    .flatMap((p) => p.split(/(?<=[.!?])\s+(?=\S)/u))
    .map((s) => s.trim())
    .filter((s) => s.length >= 25 && /[.!?]["”’]?$/u.test(s));
}

function words(text: string): Set<string> {
  return new Set(text.toLowerCase().match(/\p{L}{3,}/gu) ?? []);
}

function bestSentence(sentences: readonly string[], query: string): string | undefined {
  const q = words(query);
  let best: string | undefined;
  let bestScore = 0;
  for (const s of sentences) {
    let score = 0;
    for (const w of words(s)) if (q.has(w)) score += 1;
    if (score > bestScore) {
      best = s;
      bestScore = score;
    }
  }
  return best;
}

export interface RealisticClaim {
  text: string;
  quotes: string[];
}

/** The JSON content a well-behaved model would answer to this request. */
export function realisticContent(body: ChatRequestBody): Record<string, unknown> {
  const task = taskOf(body);
  const user = userMessage(body);
  if (task === 'repair') {
    const repairs: { id: number; quotes: string[] }[] = [];
    for (const block of user.split(/\n(?=\[\d+\] Statement: )/u)) {
      const head = /^\[(\d+)\] Statement: (.*)$/mu.exec(block);
      if (!head) continue;
      const passages = [...block.matchAll(/^- (.*)$/gmu)].map((m) => m[1] as string);
      const best = bestSentence(passages, head[2] as string) ?? passages[0];
      repairs.push({ id: Number(head[1]), quotes: best ? [best] : [] });
    }
    return { repairs };
  }
  if (task === 'reduce') {
    const ids = [...user.matchAll(/^\[(\d+)\] /gmu)].map((m) => Number(m[1]));
    const texts = new Map(
      [...user.matchAll(/^\[(\d+)\] (.*)$/gmu)].map((m) => [Number(m[1]), m[2] as string]),
    );
    const item = (id: number) => ({ text: texts.get(id) ?? '', points: [id] });
    const first = ids[0];
    return {
      summary: first === undefined ? [] : [item(first)],
      key_points: ids.slice(1, 1 + keyPointCount(user)).map(item),
    };
  }
  const sentences = roughSentences(articleIn(body));
  const claim = (s: string): RealisticClaim => ({ text: s, quotes: [s] });
  if (task === 'answer') {
    const question = /^Question: (.*)$/mu.exec(user)?.[1] ?? '';
    const best = bestSentence(sentences, question);
    return best ? { answerable: true, claims: [claim(best)] } : { answerable: false, claims: [] };
  }
  if (task === 'map') {
    const n = Number(/at most (\d+) points/u.exec(user)?.[1] ?? 3);
    return { points: sentences.slice(0, n).map(claim) };
  }
  const n = keyPointCount(user);
  return { summary: sentences.slice(0, 1).map(claim), key_points: sentences.slice(1, 1 + n).map(claim) };
}

function keyPointCount(user: string): number {
  return Number(/up to (\d+) key points/u.exec(user)?.[1] ?? 5);
}

/** A handler reply with `realisticContent`. */
export function realisticReply(request: FakeRequest): FakeReply {
  return reply.json(realisticContent(request.body));
}
