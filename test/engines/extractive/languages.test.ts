import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Article, makeArticle } from '../../../src/article/article.js';
import type { AnswerResult } from '../../../src/engines/engine.js';
import { createExtractiveEngine } from '../../../src/engines/extractive/index.js';
import { readFixture } from '../../helpers/fixtures.js';

const engine = createExtractiveEngine();

/** The fixture as a pasted article: no declared language, so the engine must guess it. */
function article(...path: string[]): Article {
  return makeArticle(readFixture(...path));
}

async function ask(a: Article, question: string): Promise<AnswerResult> {
  const result = await engine.answer(a, question, []);
  assert.ok(result.ok, JSON.stringify(result));
  for (const q of [...result.value.answer.flatMap((c) => c.quotes), ...result.value.nearest]) {
    assert.equal(a.text.slice(q.start, q.end), q.text);
  }
  return result.value;
}

const answerQuotes = (r: AnswerResult) => r.answer.flatMap((c) => c.quotes.map((q) => q.text));

interface LanguageCase {
  readonly name: string;
  readonly file: readonly string[];
  readonly question: string;
  /** Text the answer quote must hold. */
  readonly holds: string;
  readonly unanswerable: string;
}

const CASES: readonly LanguageCase[] = [
  {
    name: 'Chinese',
    file: ['languages', 'zh-bridge.txt'],
    question: '南京长江大桥什么时候建成通车？',
    holds: '1968年12月29日全面建成通车',
    unanswerable: '大桥的设计师是谁？',
  },
  {
    name: 'Arabic (diacritics in the question, none in the answer’s word forms)',
    file: ['languages', 'ar-nile.txt'],
    question: 'متى بُني السد العالي؟',
    holds: 'بين عامي 1960 و1970',
    unanswerable: 'كم عدد السياح الذين يزورون النهر كل عام؟',
  },
  {
    name: 'Russian',
    file: ['extractive', 'ru-river.txt'],
    question: 'На сколько метров поднялся уровень воды в Волге?',
    holds: 'поднялся на три метра',
    unanswerable: 'Сколько стоил ремонт набережных?',
  },
  {
    name: 'Turkish',
    file: ['languages', 'tr-bosphorus.txt'],
    question: 'Boğaz üzerindeki ilk köprü hangi yılda açıldı?',
    holds: '1973 yılında açıldı',
    unanswerable: 'Boğazda hangi balıklar yaşar?',
  },
  {
    name: 'Hindi',
    file: ['languages', 'hi-ganga.txt'],
    question: 'गंगा नदी कहाँ से निकलती है?',
    holds: 'गंगोत्री हिमनद से निकलती है',
    unanswerable: 'गंगा पर कितने बांध बने हैं?',
  },
];

describe('the offline engine in other languages', () => {
  for (const c of CASES) {
    it(`GIVEN a ${c.name} article and a question it answers THEN the answer quotes the sentence holding it`, async () => {
      const r = await ask(article(...c.file), c.question);
      assert.equal(r.answerable, true, c.question);
      assert.ok(answerQuotes(r)[0]?.includes(c.holds), answerQuotes(r).join(' | '));
      assert.deepEqual(r.nearest, []);
    });

    it(`GIVEN a ${c.name} question the article does not answer THEN no answer, and the closest passages are shown`, async () => {
      const r = await ask(article(...c.file), c.unanswerable);
      assert.equal(r.answerable, false);
      assert.deepEqual(r.answer, []);
      assert.ok(r.nearest.length >= 1 && r.nearest.length <= 2);
      assert.equal(r.grounding.verified, r.nearest.length);
    });
  }

  it('GIVEN a Thai article (no full stops) THEN the passage shown holds the answer, cut at Thai spaces', async () => {
    const thai = article('languages', 'th-chao-phraya.txt');
    const r = await ask(thai, 'แม่น้ำเจ้าพระยามีความยาวเท่าไร');
    const shown = [...answerQuotes(r), ...r.nearest.map((q) => q.text)];
    assert.ok(
      shown.some((q) => q.includes('372 กิโลเมตร')),
      shown.join(' | '),
    );
    assert.ok(shown.every((q) => !q.includes('\n')));
    const none = await ask(thai, 'ใครสร้างสะพานแห่งแรกข้ามแม่น้ำ');
    assert.equal(none.answerable, false);
    assert.ok(none.nearest.length >= 1);
  });

  it('GIVEN a Turkish question in capitals (İ) THEN Turkish case rules find the article’s words', async () => {
    const r = await ask(article('languages', 'tr-bosphorus.txt'), 'İSTANBUL BOĞAZI nereyi bağlar?');
    const shown = [...answerQuotes(r), ...r.nearest.map((q) => q.text)];
    assert.ok(shown[0]?.startsWith('İstanbul Boğazı, Karadeniz'), shown.join(' | '));
  });

  it('GIVEN an English question about a German article THEN the names and numbers they share find the passage', async () => {
    const rhein = article('languages', 'de-rhein.txt');
    const dom = await ask(rhein, 'When was the Kölner Dom finished?');
    const shown = [...answerQuotes(dom), ...dom.nearest.map((q) => q.text)];
    assert.equal(shown[0], 'Der Kölner Dom wurde im Jahr 1880 fertiggestellt.');
  });
});

describe('the offline engine never answers with a heading or a question', () => {
  it('GIVEN "What does China want?" about the sample THEN its subheading "What does China want from Russia?" is not the answer', async () => {
    const lavrov = makeArticle(readFixture('extractive', 'lavrov-china.txt'), { lang: 'en' });
    const r = await ask(lavrov, 'What does China want?');
    const shown = [...answerQuotes(r), ...r.nearest.map((q) => q.text)];
    assert.ok(shown.length > 0);
    for (const q of shown) assert.ok(!q.endsWith('?'), q);
  });
});
