/**
 * Evaluates the extractive engine's answers in the 12 languages of XQuAD (`../shared/corpus/xquad/`,
 * SQuAD v1.1 questions professionally translated; every question answerable), asking every
 * question against its **whole article** (all paragraphs joined).
 *
 * Articles are split by English title (sorted; even positions calibrate, odd ones report), the same
 * articles on the same side in every language. Per language, on the report half: how often the top
 * answer quote holds the gold answer, how often any quote shown (answer or closest passage) holds
 * it, and the time per question. `--calibrate` prints the same figures for the calibration half.
 *
 * Usage: npm run eval:languages [-- --shared DIR | --xquad DIR] [-- --lang de,ru] [-- --declared]
 *        [-- --calibrate | --all] [-- --json]
 * `--declared` passes each article's language to the engine as a page would; by default the
 * article carries none and the engine must detect it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { type Article, makeArticle, normalizeText } from '../src/article/article.js';
import { sharedDir } from '../src/core/paths.js';
import type { AnswerResult, Claim } from '../src/engines/engine.js';
import { buildAnswerIndex, rankAnswers } from '../src/engines/extractive/answer-ranking.js';
import { analyzeArticle } from '../src/engines/extractive/article-analysis.js';
import { createExtractiveEngine } from '../src/engines/extractive/index.js';

const XQUAD_LANGUAGES = ['en', 'es', 'de', 'ru', 'vi', 'th', 'ro', 'zh', 'el', 'ar', 'hi', 'tr'];

interface SquadV1 {
  readonly data: ReadonlyArray<{
    readonly title: string;
    readonly paragraphs: ReadonlyArray<{
      readonly context: string;
      readonly qas: ReadonlyArray<{
        readonly id: string;
        readonly question: string;
        readonly answers: ReadonlyArray<{ readonly text: string; readonly answer_start: number }>;
      }>;
    }>;
  }>;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

interface EvalArticle {
  readonly title: string;
  readonly article: Article;
  readonly questions: ReadonlyArray<{ readonly question: string; readonly gold: readonly Span[] }>;
}

function loadLanguage(dir: string, lang: string, declared: boolean): EvalArticle[] {
  const raw = gunzipSync(readFileSync(join(dir, `xquad.${lang}.json.gz`))).toString('utf8');
  const file = JSON.parse(raw) as SquadV1;
  return file.data.map((doc) => {
    const paragraphs = doc.paragraphs.map((p) => normalizeText(p.context));
    const article = makeArticle(paragraphs.join('\n\n'), {
      source: `xquad:${lang}:${doc.title}`,
      lang: declared ? lang : null,
    });
    const questions: Array<{ question: string; gold: Span[] }> = [];
    let cursor = 0;
    doc.paragraphs.forEach((p, i) => {
      const normalized = paragraphs[i] ?? '';
      const offset = article.text.indexOf(normalized, cursor);
      if (offset < 0) throw new Error(`paragraph ${i} of ${doc.title} (${lang}) not found`);
      cursor = offset + normalized.length;
      for (const qa of p.qas) {
        const gold = qa.answers.flatMap((a) => {
          const answer = normalizeText(a.text);
          const at = nearestOccurrence(normalized, answer, a.answer_start);
          return at < 0 ? [] : [{ start: offset + at, end: offset + at + answer.length }];
        });
        if (gold.length > 0) questions.push({ question: qa.question, gold });
      }
    });
    return { title: doc.title, article, questions };
  });
}

/** The occurrence of `needle` in `haystack` nearest to `near`, or -1. */
function nearestOccurrence(haystack: string, needle: string, near: number): number {
  if (needle === '') return -1;
  let best = -1;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
    if (best < 0 || Math.abs(at - near) < Math.abs(best - near)) best = at;
  }
  return best;
}

function holdsGold(span: Span, gold: readonly Span[]): boolean {
  return gold.some((g) => g.start >= span.start && g.end <= span.end);
}

interface LanguageFigures {
  readonly lang: string;
  readonly questions: number;
  /** Answered, and the first quote of the answer holds the gold answer. */
  readonly topAnswerQuote: number;
  /** Some quote shown (any answer quote, or a closest passage when declined) holds it. */
  readonly anyShownQuote: number;
  readonly answered: number;
  /** Diagnostics, no threshold: the best-ranked sentence holds it; one of the best three does. */
  readonly topSentence: number;
  readonly top3Sentences: number;
  readonly msPerQuestion: number;
}

/** Closest passages shown when the engine declines (absent from engines that show none). */
function nearestOf(result: AnswerResult): readonly Claim[] {
  const nearest = (result as { nearest?: readonly unknown[] }).nearest ?? [];
  return nearest.map((n) => (isClaim(n) ? n : { text: '', quotes: [n as Claim['quotes'][number]] }));
}

function isClaim(x: unknown): x is Claim {
  return typeof x === 'object' && x !== null && 'quotes' in x;
}

async function evaluate(lang: string, items: readonly EvalArticle[]): Promise<LanguageFigures> {
  const engine = createExtractiveEngine();
  let questions = 0;
  let top = 0;
  let any = 0;
  let answered = 0;
  let ms = 0;
  let topSentence = 0;
  let top3 = 0;
  for (const { article, questions: qs } of items) {
    const analysis = analyzeArticle(article);
    const index = buildAnswerIndex(analysis);
    for (const q of qs) {
      const ranked = rankAnswers(analysis, index, q.question, []).map((c) => c.seg);
      if (ranked[0] && holdsGold(ranked[0], q.gold)) topSentence++;
      if (ranked.some((seg) => holdsGold(seg, q.gold))) top3++;
      const started = performance.now();
      const result = await engine.answer(article, q.question, []);
      ms += performance.now() - started;
      if (!result.ok) throw new Error(`answer failed (${lang}): ${result.error.code}`);
      questions++;
      const first = result.value.answer[0]?.quotes[0];
      if (result.value.answerable) answered++;
      if (first && holdsGold(first, q.gold)) top++;
      const shown = [...result.value.answer, ...nearestOf(result.value)].flatMap((c) => c.quotes);
      if (shown.some((s) => holdsGold(s, q.gold))) any++;
    }
  }
  return {
    lang,
    questions,
    topAnswerQuote: top / questions,
    anyShownQuote: any / questions,
    answered: answered / questions,
    topSentence: topSentence / questions,
    top3Sentences: top3 / questions,
    msPerQuestion: ms / questions,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      shared: { type: 'string' },
      xquad: { type: 'string' },
      lang: { type: 'string' },
      declared: { type: 'boolean' },
      calibrate: { type: 'boolean' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const dir = values.xquad ?? join(sharedDir(values.shared), 'corpus', 'xquad');
  if (!existsSync(dir)) throw new Error(`no XQuAD folder at ${dir}: pass --xquad DIR or --shared DIR`);
  const langs = values.lang ? values.lang.split(',') : XQUAD_LANGUAGES;
  const figures: LanguageFigures[] = [];
  for (const lang of langs) {
    const articles = loadLanguage(dir, lang, values.declared === true).sort((a, b) =>
      a.title.localeCompare(b.title),
    );
    const side = values.all ? articles : articles.filter((_, i) => i % 2 === (values.calibrate ? 0 : 1));
    figures.push(await evaluate(lang, side));
  }
  if (values.json) {
    console.log(JSON.stringify(figures));
    return;
  }
  const half = values.all ? 'all articles' : values.calibrate ? 'calibration half' : 'report half';
  console.log(`XQuAD, whole articles, ${half}, language ${values.declared ? 'declared' : 'detected'}`);
  console.log(
    'lang  questions  top answer quote  any shown quote  answered  ms/question  (top sentence  top 3)',
  );
  const f2 = (x: number) => x.toFixed(2).padStart(6);
  for (const f of figures) {
    console.log(
      `${f.lang.padEnd(4)}  ${String(f.questions).padStart(9)}  ${f2(f.topAnswerQuote).padStart(16)}  ${f2(f.anyShownQuote).padStart(15)}  ${f2(f.answered).padStart(8)}  ${f.msPerQuestion.toFixed(1).padStart(11)}  (${f2(f.topSentence).padStart(12)}  ${f2(f.top3Sentences)})`,
    );
  }
  const en = figures.find((f) => f.lang === 'en');
  if (en) {
    const worst = figures.reduce((a, b) => (b.anyShownQuote < a.anyShownQuote ? b : a));
    console.log(
      `lowest shown-quote share: ${worst.lang} ${worst.anyShownQuote.toFixed(2)} (English ${en.anyShownQuote.toFixed(2)})`,
    );
  }
}

await main();
