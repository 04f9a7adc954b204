/**
 * Evaluates the extractive engine's answers on SQuAD 2.0 (`../shared/corpus/qa/squad-v2-dev.json.gz`),
 * asking every question against its **whole article** (all paragraphs joined), not its paragraph.
 *
 * Articles are split by title (sorted; even positions calibrate, odd ones report). On the
 * calibration half it picks the confidence threshold that maximizes accuracy (an answerable question
 * answered with a quote holding a gold answer, or an unanswerable one declined) and compares it with
 * the engine's ANSWER_THRESHOLD. On the report half it runs the real `engine.answer` and reports:
 * how often the top quote holds a gold answer, how often any quote shown (an answer's or a closest
 * passage's) does, how often an answer is stated with a quote holding none, and how often
 * unanswerable questions are recognized.
 *
 * Usage: npm run eval:qa [-- --shared DIR] [-- --json]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { type Article, makeArticle, normalizeText } from '../src/article/article.js';
import { sharedDir } from '../src/core/paths.js';
import { buildAnswerIndex, rankAnswers } from '../src/engines/extractive/answer-ranking.js';
import { analyzeArticle } from '../src/engines/extractive/article-analysis.js';
import { ANSWER_THRESHOLD, createExtractiveEngine } from '../src/engines/extractive/index.js';

interface SquadFile {
  readonly data: ReadonlyArray<{
    readonly title: string;
    readonly paragraphs: ReadonlyArray<{
      readonly context: string;
      readonly qas: ReadonlyArray<{
        readonly id: string;
        readonly question: string;
        readonly is_impossible?: boolean;
        readonly answers: ReadonlyArray<{ readonly text: string; readonly answer_start: number }>;
      }>;
    }>;
  }>;
}

interface Span {
  readonly start: number;
  readonly end: number;
}

interface Question {
  readonly question: string;
  /** Gold answer spans in the article text; empty for an unanswerable question. */
  readonly gold: readonly Span[];
}

interface EvalArticle {
  readonly article: Article;
  readonly questions: readonly Question[];
}

function loadArticles(path: string): EvalArticle[] {
  const squad = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as SquadFile;
  return squad.data.map((doc) => {
    const paragraphs = doc.paragraphs.map((p) => normalizeText(p.context));
    const article = makeArticle(paragraphs.join('\n\n'), {
      source: `squad:${doc.title}`,
      title: doc.title,
      lang: 'en',
    });
    const questions: Question[] = [];
    let cursor = 0;
    doc.paragraphs.forEach((p, i) => {
      const normalized = paragraphs[i] ?? '';
      const offset = article.text.indexOf(normalized, cursor);
      if (offset < 0) throw new Error(`paragraph ${i} of ${doc.title} not found after normalization`);
      cursor = offset + normalized.length;
      for (const qa of p.qas) {
        const gold = qa.is_impossible
          ? []
          : qa.answers.flatMap((a) => {
              const span = locateAnswer(normalized, normalizeText(a.text), a.answer_start);
              return span ? [{ start: offset + span.start, end: offset + span.end }] : [];
            });
        if (qa.is_impossible || gold.length > 0) questions.push({ question: qa.question, gold });
      }
    });
    return { article, questions };
  });
}

/** The occurrence of `answer` in `paragraph` nearest to where SQuAD says it starts. */
function locateAnswer(paragraph: string, answer: string, near: number): Span | null {
  if (answer === '') return null;
  let best: Span | null = null;
  for (let at = paragraph.indexOf(answer); at >= 0; at = paragraph.indexOf(answer, at + 1)) {
    if (!best || Math.abs(at - near) < Math.abs(best.start - near))
      best = { start: at, end: at + answer.length };
  }
  return best;
}

function holdsGold(span: Span, gold: readonly Span[]): boolean {
  return gold.some((g) => g.start >= span.start && g.end <= span.end);
}

interface Tally {
  answerable: number;
  unanswerable: number;
  /** Answerable questions answered, with the top quote holding a gold answer. */
  answeredRight: number;
  /** Answerable questions answered with a quote holding no gold answer. */
  answeredWrong: number;
  /** Answerable questions declined. */
  declined: number;
  /** Answerable questions where some quote shown (an answer's or a closest passage) holds a gold answer. */
  shownRight: number;
  /** Unanswerable questions declined. */
  recognized: number;
}

const emptyTally = (): Tally => ({
  answerable: 0,
  unanswerable: 0,
  answeredRight: 0,
  answeredWrong: 0,
  declined: 0,
  recognized: 0,
  shownRight: 0,
});

interface Scored {
  readonly answerable: boolean;
  readonly hit: boolean;
  readonly confidence: number;
}

function scoreWithRanking(items: readonly EvalArticle[]): Scored[] {
  const out: Scored[] = [];
  for (const { article, questions } of items) {
    const analysis = analyzeArticle(article);
    const index = buildAnswerIndex(analysis);
    for (const q of questions) {
      const [best] = rankAnswers(analysis, index, q.question, []);
      const seg = best?.seg;
      out.push({
        answerable: q.gold.length > 0,
        hit: seg !== undefined && holdsGold(seg, q.gold),
        confidence: best?.confidence ?? 0,
      });
    }
  }
  return out;
}

/** The threshold maximizing accuracy on `scored` (ties: the lowest). */
function calibrate(scored: readonly Scored[]): { threshold: number; accuracy: number } {
  let best = { threshold: 0, accuracy: -1 };
  for (let step = 0; step <= 100; step++) {
    const t = step / 100;
    const right = scored.filter((s) => (s.confidence >= t ? s.answerable && s.hit : !s.answerable)).length;
    const accuracy = right / scored.length;
    if (accuracy > best.accuracy) best = { threshold: t, accuracy };
  }
  return best;
}

async function report(items: readonly EvalArticle[]): Promise<Tally> {
  const engine = createExtractiveEngine();
  const tally = emptyTally();
  for (const { article, questions } of items) {
    for (const q of questions) {
      const result = await engine.answer(article, q.question, []);
      if (!result.ok) throw new Error(`answer failed: ${result.error.code}`);
      const quote = result.value.answer[0]?.quotes[0];
      if (q.gold.length === 0) {
        tally.unanswerable++;
        if (!result.value.answerable) tally.recognized++;
        continue;
      }
      tally.answerable++;
      const shown = [...result.value.answer.flatMap((c) => c.quotes), ...result.value.nearest];
      if (shown.some((s) => holdsGold(s, q.gold))) tally.shownRight++;
      if (!quote) tally.declined++;
      else if (holdsGold(quote, q.gold)) tally.answeredRight++;
      else tally.answeredWrong++;
    }
  }
  return tally;
}

function rate(
  scored: readonly Scored[],
  among: (s: Scored) => boolean,
  holds: (s: Scored) => boolean,
): number {
  const pool = scored.filter(among);
  return pool.filter(holds).length / pool.length;
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(1)}%`);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { shared: { type: 'string' }, json: { type: 'boolean' } } });
  const started = performance.now();
  const path = join(sharedDir(values.shared), 'corpus', 'qa', 'squad-v2-dev.json.gz');
  const articles = loadArticles(path).sort((a, b) =>
    (a.article.title ?? '').localeCompare(b.article.title ?? ''),
  );
  const calibration = articles.filter((_, i) => i % 2 === 0);
  const held = articles.filter((_, i) => i % 2 === 1);

  const calibrated = calibrate(scoreWithRanking(calibration));
  const t = await report(held);
  const heldScores = scoreWithRanking(held);
  const curve = [...new Set([0.5, 0.6, 0.7, 0.75, 0.8, ANSWER_THRESHOLD, 0.85, 0.9])]
    .sort()
    .map((threshold) => ({
      threshold,
      answeredRight: rate(
        heldScores,
        (s) => s.answerable,
        (s) => s.confidence >= threshold && s.hit,
      ),
      recognized: rate(
        heldScores,
        (s) => !s.answerable,
        (s) => s.confidence < threshold,
      ),
      answeredWrong: rate(
        heldScores,
        (s) => s.answerable,
        (s) => s.confidence >= threshold && !s.hit,
      ),
    }));
  const right = t.answeredRight + t.recognized;
  const figures = {
    articles: { calibration: calibration.length, report: held.length },
    questions: { answerable: t.answerable, unanswerable: t.unanswerable },
    calibratedThreshold: calibrated.threshold,
    engineThreshold: ANSWER_THRESHOLD,
    calibrationAccuracy: calibrated.accuracy,
    topSentenceHoldsGold: rate(
      heldScores,
      (s) => s.answerable,
      (s) => s.hit,
    ),
    topQuoteHoldsGold: t.answeredRight / t.answerable,
    answeredWithWrongQuote: t.answeredWrong / t.answerable,
    anyShownQuoteHoldsGold: t.shownRight / t.answerable,
    answerableDeclined: t.declined / t.answerable,
    unanswerableRecognized: t.recognized / t.unanswerable,
    accuracy: right / (t.answerable + t.unanswerable),
    curve,
    seconds: (performance.now() - started) / 1000,
  };
  if (values.json) {
    console.log(JSON.stringify(figures));
    return;
  }
  console.log(
    `SQuAD 2.0 dev, whole articles: calibrated on ${calibration.length}, reported on ${held.length}`,
  );
  console.log(
    `threshold: calibrated ${calibrated.threshold.toFixed(2)} (accuracy ${pct(calibrated.accuracy, 1)}), engine ${ANSWER_THRESHOLD}`,
  );
  console.log(`answerable questions:   ${t.answerable}`);
  console.log(`  top sentence holds a gold answer (no threshold): ${pct(figures.topSentenceHoldsGold, 1)}`);
  console.log(`  answered, top quote holds a gold answer:         ${pct(t.answeredRight, t.answerable)}`);
  console.log(`  answered with a quote holding none:              ${pct(t.answeredWrong, t.answerable)}`);
  console.log(`  declined:                                        ${pct(t.declined, t.answerable)}`);
  console.log(`  any quote shown (answer or closest) holds one:   ${pct(t.shownRight, t.answerable)}`);
  console.log(`unanswerable questions: ${t.unanswerable}`);
  console.log(`  recognized (declined):                           ${pct(t.recognized, t.unanswerable)}`);
  console.log(
    `overall accuracy:                                  ${pct(right, t.answerable + t.unanswerable)}`,
  );
  console.log(
    'on the report half, by threshold: answered with a gold-holding quote / unanswerable recognized / answered wrongly',
  );
  for (const c of curve) {
    console.log(
      `  ${c.threshold.toFixed(2)}: ${pct(c.answeredRight, 1)} / ${pct(c.recognized, 1)} / ${pct(c.answeredWrong, 1)}`,
    );
  }
  console.log(`took ${figures.seconds.toFixed(1)} s`);
  if (Math.abs(calibrated.threshold - ANSWER_THRESHOLD) > 0.02) {
    console.log(`note: ANSWER_THRESHOLD differs from the calibrated ${calibrated.threshold.toFixed(2)}`);
  }
}

await main();
