import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSourceIndex,
  type Located,
  locateQuote,
  MAX_QUOTE_CHARS,
  type Quote,
} from '../../src/grounding/index.js';
import { readFixture } from '../helpers/fixtures.js';

const lavrov = readFixture('grounding', 'lavrov-china.txt');
const lavrovIndex = buildSourceIndex(lavrov);

/** Asserts the result is found with the given method and every quote is the text's own slice. */
function expectFound(text: string, result: Located, method: string): readonly Quote[] {
  assert.equal(result.found, true, `expected found, got ${JSON.stringify(result)}`);
  if (!result.found) throw new Error('unreachable');
  assert.equal(result.method, method);
  for (const q of result.quotes) {
    assert.equal(text.slice(q.start, q.end), q.text);
    assert.ok(q.text.length > 0 && q.text.length <= MAX_QUOTE_CHARS);
  }
  return result.quotes;
}

function only(quotes: readonly Quote[]): Quote {
  assert.equal(quotes.length, 1);
  const [q] = quotes;
  if (!q) throw new Error('unreachable');
  return q;
}

function expectReason(result: Located, reason: string): void {
  assert.equal(result.found, false, `expected not found, got ${JSON.stringify(result)}`);
  if (result.found) throw new Error('unreachable');
  assert.equal(result.reason, reason);
}

describe('locateQuote on English text', () => {
  it('GIVEN a verbatim sentence THEN it is located exactly at its source span', () => {
    const s = 'Russian foreign minister arrives in China hat in hand.';
    const q = only(expectFound(lavrov, locateQuote(lavrovIndex, s), 'exact'));
    assert.equal(q.text, s);
    assert.equal(q.start, lavrov.indexOf(s));
  });

  it('GIVEN a quote with straight apostrophes and quote marks THEN it is located at the curly source span', () => {
    const r = locateQuote(lavrovIndex, `the indirect "winner" of Russia's war of aggression`);
    const q = only(expectFound(lavrov, r, 'normalized'));
    assert.equal(q.text, 'the indirect “winner” of Russia’s war of aggression');
  });

  it('GIVEN a quote with curly marks where the source has straight ones THEN it is located', () => {
    const text = `He said "we don't know" and left the room quickly.`;
    const q = only(
      expectFound(
        text,
        locateQuote(buildSourceIndex(text), 'He said “we don’t know” and left'),
        'normalized',
      ),
    );
    assert.equal(q.text, 'He said "we don\'t know" and left');
  });

  it('GIVEN guillemets and low-high quotes THEN they fold to the same quote mark', () => {
    const text = 'Der Minister sprach von einer „großen Chance“ für beide Länder heute.';
    const q = only(
      expectFound(
        text,
        locateQuote(buildSourceIndex(text), 'von einer «großen Chance» für beide Länder'),
        'normalized',
      ),
    );
    assert.equal(q.text, 'von einer „großen Chance“ für beide Länder');
  });

  it('GIVEN a hyphen where the source has an en dash with spaces THEN it is located', () => {
    const r = locateQuote(lavrovIndex, 'emergency cry"-According to the expert, Sergei');
    const q = only(expectFound(lavrov, r, 'normalized'));
    assert.equal(q.text, 'emergency cry” – According to the expert, Sergei');
  });

  it('GIVEN em dash, minus and hyphen variants THEN each locates the same span', () => {
    const text = 'The temperature fell to −5 degrees — a record low — in the northern valley.';
    const index = buildSourceIndex(text);
    for (const variant of [
      'fell to -5 degrees - a record low - in the',
      'fell to –5 degrees–a record low–in the',
      'fell to -5 degrees -- a record low -- in the',
    ]) {
      const r = locateQuote(index, variant);
      assert.equal(r.found, true, variant);
      if (r.found) assert.equal(only(r.quotes).text, 'fell to −5 degrees — a record low — in the');
    }
  });

  it('GIVEN whitespace and newline differences THEN the quote spans the source characters including its line break', () => {
    const r = locateQuote(
      lavrovIndex,
      'However, this is not the case.   According to East Asia\tresearcher Teppo Turki',
    );
    const q = only(expectFound(lavrov, r, 'normalized'));
    assert.equal(q.text, 'However, this is not the case.\n\nAccording to East Asia researcher Teppo Turki');
  });

  it('GIVEN case differences THEN the source casing is kept', () => {
    const q = only(
      expectFound(
        lavrov,
        locateQuote(lavrovIndex, 'THIS IS A PRIORITY FOR CHINA ABOVE ALL OTHERS'),
        'normalized',
      ),
    );
    assert.equal(q.text, 'This is a priority for China above all others');
  });

  it('GIVEN an ellipsis character THEN both parts are located in order as fragments', () => {
    const r = locateQuote(
      lavrovIndex,
      'China is making the most of this … which has strengthened the position of the renminbi.',
    );
    const [a, b, ...rest] = expectFound(lavrov, r, 'fragments');
    assert.equal(rest.length, 0);
    assert.equal(a?.text, 'China is making the most of this');
    assert.equal(b?.text, 'which has strengthened the position of the renminbi.');
    assert.ok(a && b && a.end <= b.start);
  });

  it('GIVEN three dots THEN the parts are located as fragments, the earlier part searched before the anchor', () => {
    const r = locateQuote(
      lavrovIndex,
      'Beijing has watched with joy...the flow of resources go to Europe and the Ukrainian fronts',
    );
    const quotes = expectFound(lavrov, r, 'fragments');
    assert.deepEqual(
      quotes.map((q) => q.text),
      ['Beijing has watched with joy', 'the flow of resources go to Europe and the Ukrainian fronts'],
    );
  });

  it('GIVEN an ellipsis that stands for nothing omitted THEN the whole quote is still located', () => {
    const r = locateQuote(lavrovIndex, '…Beijing has watched with joy how the US’s political attention');
    const q = only(expectFound(lavrov, r, 'exact'));
    assert.equal(q.text, 'Beijing has watched with joy how the US’s political attention');
  });

  it('GIVEN an ellipsis quote of more than 8 parts THEN it is not located as fragments', () => {
    const words =
      'Beijing has watched with joy how the US’s political attention, financial support and the flow of resources go to Europe'.split(
        ' ',
      );
    const proposal = [0, 2, 4, 6, 8, 10, 12, 14, 16].map((i) => words.slice(i, i + 2).join(' ')).join(' … ');
    expectReason(locateQuote(lavrovIndex, proposal), 'not_found');
    const few = [0, 6, 12].map((i) => words.slice(i, i + 5).join(' ')).join(' … ');
    assert.equal(locateQuote(lavrovIndex, few).found, true);
  });

  it('GIVEN an ellipsis that cuts a word in two THEN the fragments do not overlap', () => {
    const r = locateQuote(
      lavrovIndex,
      'Beijing has watched with joy how the US’s political atte … ntion, financial support and the flow',
    );
    const [a, b] = expectFound(lavrov, r, 'fragments');
    assert.ok(a && b && a.end <= b.start);
  });

  it('GIVEN fragments out of order THEN nothing is found', () => {
    const r = locateQuote(
      lavrovIndex,
      'the flow of resources go to Europe and the Ukrainian fronts … Beijing has watched with joy how',
    );
    expectReason(r, 'not_found');
  });

  it('GIVEN a typo THEN the quote is snapped to the source’s own characters', () => {
    const r = locateQuote(
      lavrovIndex,
      'The stratejic competition between China and the United Sates forces small and',
    );
    const q = only(expectFound(lavrov, r, 'fuzzy'));
    assert.equal(q.text, 'The strategic competition between China and the United States forces small and');
  });

  it('GIVEN typos spread over two sentences THEN the whole span is located fuzzily', () => {
    const r = locateQuote(
      lavrovIndex,
      'Beijing has promotd its own curency, the renminbi, as a trading tool. The Kremlin has been forced to sell its foreign exchang reserves',
    );
    const q = only(expectFound(lavrov, r, 'fuzzy'));
    assert.equal(
      q.text,
      'Beijing has promoted its own currency, the renminbi, as a trading tool. The Kremlin has been forced to sell its foreign exchange reserves',
    );
  });

  it('GIVEN one sentence rewritten and the next verbatim THEN the rewrite is not hidden by the total budget', () => {
    const r = locateQuote(
      lavrovIndex,
      'Beijing has pushed its own money, the renminbi, as a trading tool. The Kremlin has been forced to sell its foreign exchange reserves, which has strengthened the position of the renminbi.',
    );
    expectReason(r, 'not_found');
  });

  it('GIVEN a truncated first word THEN the span is widened to the whole word', () => {
    const q = only(
      expectFound(lavrov, locateQuote(lavrovIndex, 'ussia is a constantly weakening neighbor'), 'exact'),
    );
    assert.equal(q.text, 'Russia is a constantly weakening neighbor');
  });

  it('GIVEN a fabricated sentence made of article words THEN it is not found', () => {
    for (const s of [
      'China has forced the Kremlin to sell the renminbi to the Houthi rebels in Europe.',
      'Lavrov declared that the friendship between Russia and the United States is limitless.',
      'The Suez Canal is a lifeline for Beijing to stay afloat, says Teppo Turki.',
    ]) {
      expectReason(locateQuote(lavrovIndex, s), 'not_found');
    }
  });

  it('GIVEN a paraphrase with one word changed per few words THEN it is not found', () => {
    const r = locateQuote(
      lavrovIndex,
      'The deepening of the Gaza conflict hampers Beijing’s active pursuit of Middle East strategy.',
    );
    expectReason(r, 'not_found');
  });

  it('GIVEN two halves from different places without an ellipsis THEN they do not match as one quote', () => {
    const r = locateQuote(
      lavrovIndex,
      'Investments in China have also decreased. The audience burst out laughing at Sergei Lavrov’s comment.',
    );
    expectReason(r, 'not_found');
  });

  it('GIVEN two halves joined mid-sentence THEN they do not match as one quote', () => {
    const r = locateQuote(
      lavrovIndex,
      'The Kremlin has been forced to sell its foreign exchange to choose sides.',
    );
    expectReason(r, 'not_found');
  });

  it('GIVEN two halves from far-apart places joined by an ellipsis THEN they are not returned', () => {
    const first = 'Russian foreign minister arrives in China hat in hand';
    const far = 'The audience burst out laughing at Sergei Lavrov’s comment';
    assert.ok(lavrov.indexOf(far) - lavrov.indexOf(first) > 3000);
    expectReason(locateQuote(lavrovIndex, `${first} … ${far}`), 'not_found');
  });

  it('GIVEN a proposal longer than the article THEN it is not found', () => {
    const text = 'A short article. It has two sentences about nothing much at all.';
    expectReason(locateQuote(buildSourceIndex(text), `${text} ${text} And then more.`), 'not_found');
  });

  it('GIVEN an empty article THEN proposals are not found and the index keeps the text', () => {
    const index = buildSourceIndex('');
    assert.equal(index.text, '');
    expectReason(locateQuote(index, 'Russian foreign minister arrives in China'), 'not_found');
  });

  it('GIVEN an empty or whitespace-only proposal THEN the reason is empty', () => {
    expectReason(locateQuote(lavrovIndex, ''), 'empty');
    expectReason(locateQuote(lavrovIndex, ' \n\t\u3000 '), 'empty');
  });

  it('GIVEN punctuation only THEN the reason is too_short', () => {
    expectReason(locateQuote(lavrovIndex, '“…”'), 'too_short');
  });

  it('GIVEN a short proposal that occurs several times THEN it is rejected as too_short', () => {
    expectReason(locateQuote(lavrovIndex, 'Lavrov'), 'too_short');
    expectReason(locateQuote(lavrovIndex, 'with China'), 'too_short');
  });

  it('GIVEN a short proposal that occurs once on word boundaries THEN it is kept', () => {
    const q = only(expectFound(lavrov, locateQuote(lavrovIndex, 'Teppo Turki'), 'exact'));
    assert.equal(q.start, lavrov.indexOf('Teppo Turki'));
  });

  it('GIVEN a short proposal that is only inside a word THEN it is rejected', () => {
    expectReason(locateQuote(lavrovIndex, 'eppo Turk'), 'too_short');
  });

  it('GIVEN a short proposal with a typo THEN it is never fuzzy matched', () => {
    expectReason(locateQuote(lavrovIndex, 'Teppo Turky'), 'too_short');
  });

  it('GIVEN a quote longer than 400 characters THEN it is capped at a sentence end and stays an exact slice', () => {
    const start = lavrov.indexOf('China has balanced the interpretations');
    const proposal = lavrov.slice(start, start + 700);
    const q = only(expectFound(lavrov, locateQuote(lavrovIndex, proposal), 'exact'));
    assert.equal(q.start, start);
    assert.ok(q.text.length <= MAX_QUOTE_CHARS);
    assert.ok(q.text.length >= MAX_QUOTE_CHARS / 2);
    assert.match(q.text, /[.!?”]$/);
  });

  it('GIVEN a proposal over 20,000 characters THEN it is only looked up verbatim, and capped', () => {
    const long = `${lavrov}\n\n${lavrov}\n\n${lavrov}`;
    const proposal = long.slice(10, 21_000);
    const r = locateQuote(buildSourceIndex(long), proposal);
    const q = only(expectFound(long, r, 'exact'));
    assert.ok(q.start === long.lastIndexOf(' ', 10) + 1, 'widened to the whole first word');
    expectReason(locateQuote(buildSourceIndex(long), proposal.toUpperCase()), 'not_found');
  });

  it('GIVEN a quote that appears twice THEN the first occurrence is returned', () => {
    const s =
      'According to the expert, Sergei Lavrov’s visit to China is a sign of what is happening in the Kremlin';
    const first = lavrov.indexOf(s);
    assert.ok(lavrov.indexOf(s, first + 1) > first);
    assert.equal(only(expectFound(lavrov, locateQuote(lavrovIndex, s), 'exact')).start, first);
    const folded = s.replace('’', "'").toUpperCase();
    assert.equal(only(expectFound(lavrov, locateQuote(lavrovIndex, folded), 'normalized')).start, first);
  });

  it('GIVEN a quote wrapped in quote marks the source lacks THEN the marks are ignored', () => {
    const q = only(
      expectFound(lavrov, locateQuote(lavrovIndex, '"Investments in China have also decreased."'), 'exact'),
    );
    assert.equal(q.text, 'Investments in China have also decreased.');
  });

  it('GIVEN a quote that ends inside a quotation THEN the dangling opening mark is trimmed', () => {
    const q = only(
      expectFound(
        lavrov,
        locateQuote(lavrovIndex, 'The agenda of the visit is said to be to exchange views on several “'),
        'exact',
      ),
    );
    assert.equal(q.text, 'The agenda of the visit is said to be to exchange views on several');
  });
});

describe('locateQuote on other scripts', () => {
  const zh = readFixture('grounding', 'zh.txt');
  const ja = readFixture('grounding', 'ja.txt');
  const ru = readFixture('grounding', 'ru.txt');
  const ar = readFixture('grounding', 'ar.txt');

  it('GIVEN a Chinese sentence THEN it is located exactly', () => {
    const s = '与此同时，中国更重视与美国恢复关系，而不是支持俄罗斯。';
    const q = only(expectFound(zh, locateQuote(buildSourceIndex(zh), s), 'exact'));
    assert.equal(q.start, zh.indexOf(s));
  });

  it('GIVEN a Chinese quote with ASCII commas and one wrong character THEN it is snapped to the source', () => {
    const r = locateQuote(buildSourceIndex(zh), '分析人士认为,这次访问表明莫斯科越来越依靠北京');
    const q = only(expectFound(zh, r, 'fuzzy'));
    assert.equal(q.text, '分析人士认为，这次访问表明莫斯科越来越依赖北京');
  });

  it('GIVEN a fabricated Chinese sentence THEN it is not found', () => {
    expectReason(
      locateQuote(buildSourceIndex(zh), '中国外交部长周一抵达莫斯科，讨论能源和贸易问题。'),
      'not_found',
    );
  });

  it('GIVEN a Japanese quote with an ellipsis THEN the fragments are located', () => {
    const r = locateQuote(
      buildSourceIndex(ja),
      'ロシアのラブロフ外相は月曜日に北京に到着し…アジア太平洋地域の情勢について意見を交換する予定だ',
    );
    const quotes = expectFound(ja, r, 'fragments');
    assert.deepEqual(
      quotes.map((q) => q.text),
      ['ロシアのラブロフ外相は月曜日に北京に到着し', 'アジア太平洋地域の情勢について意見を交換する予定だ'],
    );
  });

  it('GIVEN a Japanese quote in 「」 where the source has none THEN it is located', () => {
    const q = only(
      expectFound(
        ja,
        locateQuote(buildSourceIndex(ja), '「会談の後には共同記者会見が予定されている。」'),
        'exact',
      ),
    );
    assert.equal(q.text, '会談の後には共同記者会見が予定されている。');
  });

  it('GIVEN a Russian quote with е for ё and straight quotes for «» THEN it is located', () => {
    const r = locateQuote(buildSourceIndex(ru), 'что Москва все сильнее зависит от Пекина');
    assert.equal(only(expectFound(ru, r, 'normalized')).text, 'что Москва всё сильнее зависит от Пекина');
    const r2 = locateQuote(
      buildSourceIndex(ru),
      'Министры также обсудят "вопросы двустороннего сотрудничества" - в том числе',
    );
    assert.equal(
      only(expectFound(ru, r2, 'normalized')).text,
      'Министры также обсудят «вопросы двустороннего сотрудничества» — в том числе',
    );
  });

  it('GIVEN a Russian quote with a typo THEN it is snapped; a fabricated one is not found', () => {
    const index = buildSourceIndex(ru);
    const r = locateQuote(index, 'Для Китая же важнее востановить отношения с США');
    assert.equal(only(expectFound(ru, r, 'fuzzy')).text, 'Для Китая же важнее восстановить отношения с США');
    expectReason(
      locateQuote(index, 'Министр иностранных дел Китая прибыл в Москву с трехдневным визитом.'),
      'not_found',
    );
  });

  it('GIVEN an Arabic quote without the source’s harakat THEN it is located at the source span', () => {
    const r = locateQuote(
      buildSourceIndex(ar),
      'ويرى خبراء أن هذه الزيارة تظهر أن موسكو تعتمد بشكل متزايد على بكين',
    );
    assert.equal(
      only(expectFound(ar, r, 'normalized')).text,
      'ويرى خبراء أن هذه الزيارة تُظهر أن موسكو تعتمد بشكل متزايد على بكين',
    );
  });
});
