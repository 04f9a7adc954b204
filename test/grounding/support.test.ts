import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { makeArticle } from '../../src/article/article.js';
import {
  checkClaims,
  checkSupport,
  findDates,
  findNames,
  findNumbers,
  namesComparable,
  sameNameWord,
} from '../../src/grounding/support/index.js';
import { rankPassages } from '../../src/text/index.js';
import { readFixture } from '../helpers/fixtures.js';

const lavrov = makeArticle(readFixture('openai', 'lavrov-china.txt'), { lang: 'en' });
const HARM = 'The war in Ukraine is currently doing more harm than good to China.';
const CURRENCY =
  'According to Turkey, Russia is currently the third largest user of Chinese currency in the world.';

describe('checkSupport: names', () => {
  it('GIVEN a claim naming "Turkey" over a quote that does not THEN it is unsupported with that reason', () => {
    const v = checkSupport(
      'Turkey says the war in Ukraine is doing more harm than good to China.',
      [HARM],
      lavrov.text,
    );
    assert.equal(v.supported, false);
    assert.deepEqual(v.reasons, ['name "Turkey" not in quotes']);
  });

  it('GIVEN the researcher "Teppo Turki" over a quote saying "Turkey" THEN the names do not match', () => {
    const v = checkSupport('Teppo Turki says Russia is the third largest user of Chinese currency.', [
      CURRENCY,
    ]);
    assert.equal(v.supported, false);
    assert.ok(v.reasons.some((r) => r.includes('Teppo Turki')));
  });

  it('GIVEN names and adjectives of the same country THEN they match, and Iran never matches Iraq', () => {
    assert.ok(sameNameWord('China', 'Chinese'));
    assert.ok(sameNameWord('Ukrainian', 'Ukraine'));
    assert.ok(sameNameWord('Russia’s', 'Russian'));
    assert.ok(sameNameWord('French', 'France'));
    assert.equal(sameNameWord('Iran', 'Iraq'), false);
    assert.equal(sameNameWord('Turki', 'Turkey'), false);
  });

  it('GIVEN a full name where the quote gives the surname THEN the article spelling it in full makes it supported', () => {
    const quote =
      'Russian Foreign Minister Sergei Lavrov will visit China today, Monday and tomorrow, Tuesday.';
    assert.equal(checkSupport('Lavrov will visit China on Monday.', [quote]).supported, true);
    const surnameOnly = [
      'In Turkey’s opinion, it is very noteworthy that at the same time as Lavrov, US Treasury Secretary Janet Yellen is visiting China, meeting with the country’s top political leadership.',
    ];
    assert.equal(checkSupport('Sergei Lavrov visits China.', surnameOnly, lavrov.text).supported, true);
    assert.equal(checkSupport('Sergei Lavrov visits China.', surnameOnly).supported, false);
  });

  it('GIVEN a capitalized first word that is not a name THEN it is not checked as one', () => {
    const v = checkSupport('Hundreds of girls fell sick.', ['hundreds of girls fell sick in schools']);
    assert.equal(v.supported, true);
    const names = findNames('However, the war continues.', new Set());
    assert.deepEqual(names, []);
  });

  it('GIVEN a Cyrillic name missing from the quotes THEN it is unsupported; Chinese text yields no false names', () => {
    const v = checkSupport('Министр Лавров посетил Пекин.', ['Министр посетил Пекин в понедельник.']);
    assert.equal(v.supported, false);
    assert.ok(v.reasons.some((r) => r.includes('Лавров')));
    assert.deepEqual(findNames('俄罗斯外长拉夫罗夫访问中国。'), []);
    assert.equal(checkSupport('拉夫罗夫访问中国。', ['俄罗斯外长拉夫罗夫访问中国。']).supported, true);
  });
});

describe('checkSupport: numbers', () => {
  const pairs: Array<[string, string]> = [
    ['About 1,000 people were evacuated.', 'Some 1000 people were evacuated.'],
    ['Two people died.', 'The collapse killed 2 people.'],
    ['The fund holds $5 billion.', 'The fund holds $5bn.'],
    ['Sales fell 20 percent.', 'Sales fell 20%.'],
    ['The city has 5 million people.', 'The city has 5,000,000 people.'],
    ['Twenty-five ships sailed.', '25 ships sailed.'],
    ['Russia is the third largest user.', 'Russia is the third largest user.'],
  ];
  for (const [claim, quote] of pairs) {
    it(`GIVEN "${claim}" over "${quote}" THEN the numbers match`, () => {
      assert.deepEqual(checkSupport(claim, [quote]), { supported: true, reasons: [] });
    });
  }

  it('GIVEN a different number, percentage or currency THEN the claim is unsupported with the number named', () => {
    assert.deepEqual(
      checkSupport('The collapse left 60 missing.', ['The collapse left more than 50 missing.']).reasons,
      ['number "60" not in quotes'],
    );
    assert.equal(checkSupport('Sales fell 20%.', ['Sales fell by 20 units.']).supported, false);
    assert.equal(checkSupport('The fund holds €5 billion.', ['The fund holds $5 billion.']).supported, false);
    assert.equal(checkSupport('Russia is the second largest user.', [CURRENCY]).supported, false);
    assert.equal(
      checkSupport('Thousands of girls fell ill.', ['Hundreds of girls fell ill.']).supported,
      false,
    );
  });

  it('GIVEN numbers glued to names (COVID-19, G7) THEN they are not quantities', () => {
    assert.deepEqual(
      findNumbers('COVID-19 hit the G7 and F-16 jets.').map((n) => n.value),
      [],
    );
    assert.deepEqual(
      findNumbers('three hundred thousand, 21st, ２０ people, 3.5 km').map((n) => [n.value, n.unit]),
      [
        [300000, null],
        [21, null],
        [20, 'people'],
        [3.5, 'km'],
      ],
    );
  });
});

describe('checkSupport: dates and negation', () => {
  it('GIVEN month names in any common form THEN they match; a different month does not', () => {
    assert.equal(checkSupport('The war began in Feb. 2022.', ['It began in February 2022.']).supported, true);
    assert.equal(checkSupport('It began on 2022-02-24.', ['It began on 24 February 2022.']).supported, true);
    const v = checkSupport('The war began in March 2022.', ['It began in February 2022.']);
    assert.deepEqual(v.reasons, ['date "March" not in quotes']);
    assert.deepEqual(
      findDates('Lavrov arrives Monday; in May 2023 too. You may go.').map((d) => d.key),
      ['weekday:1', 'month:5'],
    );
  });

  it('GIVEN a claim with a negation over quotes without one THEN it is unsupported', () => {
    const v = checkSupport('The authorities have not launched an investigation.', [
      'The authorities have launched an investigation.',
    ]);
    assert.equal(v.supported, false);
    assert.ok(v.reasons[0]?.startsWith('negation'));
  });

  it('GIVEN no quotes THEN nothing is supported', () => {
    assert.deepEqual(checkSupport('China benefits.', []), { supported: false, reasons: ['no quotes'] });
  });

  it('GIVEN any text quoted as its own support THEN it is supported (property)', () => {
    const word = fc.constantFrom(
      'China',
      'the',
      'war',
      'Turkey',
      'not',
      '1,000',
      'two',
      'March',
      '20%',
      '$5bn',
      'Лавров',
      '拉夫罗夫',
      'said.',
      'U.S.',
      'of',
      'Monday',
    );
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), (words) => {
        const text = words.join(' ');
        return checkSupport(text, [text]).supported;
      }),
      { numRuns: 200 },
    );
  });
});

describe('rankPassages', () => {
  it('GIVEN a query THEN passages sharing its rarer words rank first and unrelated ones are left out', () => {
    const ranked = rankPassages('Yellen visits China', [
      'The weather was fine.',
      'China and Russia talk.',
      'Janet Yellen is visiting China.',
    ]);
    assert.deepEqual(
      ranked.map((r) => r.index),
      [2, 1],
    );
  });
});

describe('checkClaims (offline, for `verbatim check`)', () => {
  it('GIVEN claims about the sample article THEN true ones are supported with quotes located in it, altered ones are not', () => {
    const results = checkClaims(lavrov, [
      'Russia has sought to strengthen its relationship with China since February 2022.',
      'Russia has sought to strengthen its relationship with China since March 2022.',
      'Emmanuel Macron says the war in Ukraine is doing more harm than good to China.',
      'Russia’s dependence on China is shrinking.',
      'Russia is currently the fifth largest user of Chinese currency.',
    ]);
    assert.deepEqual(
      results.map((r) => r.supported),
      [true, false, false, false, false],
    );
    for (const r of results) {
      assert.ok(r.quotes.length > 0);
      for (const q of r.quotes) assert.equal(lavrov.text.slice(q.start, q.end), q.text);
    }
    assert.ok(results[1]?.reasons.includes('date "March" not in quotes'));
    assert.ok(results[3]?.reasons.some((r) => r.startsWith('antonym')));
    assert.ok(results[4]?.reasons.includes('number "fifth" not in quotes'));
  });

  it('GIVEN a claim that negates what the article asserts THEN it is unsupported', () => {
    const [r] = checkClaims(lavrov, ['Russia has not sought to strengthen its relationship with China.']);
    assert.equal(r?.supported, false);
    assert.ok(r?.reasons.some((x) => x.startsWith('negation')));
  });

  it('GIVEN a claim sharing no word with the article THEN it is unsupported with no quotes', () => {
    const [r] = checkClaims(lavrov, ['Penguins enjoy jazz.']);
    assert.equal(r?.supported, false);
    assert.deepEqual(r?.quotes, []);
  });

  it('GIVEN arbitrary claims THEN every returned quote is the article’s own span (property)', () => {
    const words = lavrov.text.split(/\s+/u).slice(0, 400);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 15 }), (claim) => {
        const [r] = checkClaims(lavrov, [claim.join(' ')]);
        return (r?.quotes ?? []).every((q) => lavrov.text.slice(q.start, q.end) === q.text);
      }),
      { numRuns: 20 },
    );
  });
});

describe('namesComparable', () => {
  it('GIVEN claim and article languages THEN names are compared only within one language, never in German', () => {
    assert.equal(namesComparable(null, 'en'), true);
    assert.equal(namesComparable('en-GB', 'en'), true);
    assert.equal(namesComparable('fr', 'en'), false);
    assert.equal(namesComparable('de', 'de'), false);
    assert.equal(namesComparable(null, null), true);
  });

  it('GIVEN names switched off THEN numbers are still checked', () => {
    const quote = ['Russia is currently the third largest user of Chinese currency.'];
    assert.equal(
      checkSupport('La Chine est le deuxième.', quote, undefined, { checkNames: false }).supported,
      true,
    );
    assert.equal(
      checkSupport('Russia is the fifth largest user.', quote, undefined, { checkNames: false }).supported,
      false,
    );
  });
});

describe('checkClaims: contradictions against the aligned sentences', () => {
  const article = (text: string) => makeArticle(text, { lang: 'en' });
  const iran = article(
    'Hundreds of schoolgirls have fallen sick in Qom in recent months. But the authorities, which have launched an investigation into the wave of illnesses, have not found any evidence of poison. Officials said the cases were unrelated.',
  );

  it('GIVEN a negation moved onto another verb THEN the claim is unsupported for negation', () => {
    const [r] = checkClaims(iran, [
      'The authorities, which have not launched an investigation, have found evidence of poison.',
    ]);
    assert.equal(r?.supported, false);
    assert.ok(r?.reasons.some((x) => x.startsWith('negation')));
  });

  it('GIVEN a negation paraphrased over the same words THEN no negation is reported', () => {
    const [r] = checkClaims(iran, [
      'The authorities, which have launched an investigation, have found no evidence of poison.',
    ]);
    assert.deepEqual(
      r?.reasons.filter((x) => x.startsWith('negation')),
      [],
    );
  });

  it('GIVEN a function-word antonym in the same place ("least" for "most") THEN it is an antonym', () => {
    const chips = article(
      'The administration unveiled details of how it will get the most bang for the billions it has to spur the semiconductor sector.',
    );
    const [r] = checkClaims(chips, [
      'The administration unveiled details of how it will get the least bang for the billions it has.',
    ]);
    assert.equal(r?.supported, false);
    assert.ok(r?.reasons.some((x) => x.startsWith('antonym') && x.includes('least')));
  });

  it('GIVEN an antonym the sentence uses about something else THEN it is not reported', () => {
    const trade = article('Exports grew in March, while the number of workers fell sharply.');
    const [r] = checkClaims(trade, ['Exports increased in March.']);
    assert.deepEqual(
      r?.reasons.filter((x) => x.startsWith('antonym')),
      [],
    );
  });

  it('GIVEN a prefix negation of a word in the sentence THEN it is an antonym; "unrelated" is matched as written', () => {
    const [flipped] = checkClaims(iran, ['Officials said the cases were related.']);
    assert.ok(flipped?.reasons.some((x) => x.startsWith('antonym') && x.includes('unrelated')));
    const [same] = checkClaims(iran, ['Officials said the cases were unrelated.']);
    assert.equal(same?.supported, true);
  });
});

describe('checkSupport: places', () => {
  it('GIVEN a claim naming a country over a quote naming its capital THEN it is supported, never the reverse', () => {
    const quote = ['Activists in London dumped paint in front of the Russian embassy.'];
    assert.equal(checkSupport('U.K. activists dumped paint at the Russian embassy.', quote).supported, true);
    assert.equal(
      checkSupport('Activists from France dumped paint at the Russian embassy.', quote).supported,
      false,
    );
    assert.equal(
      checkSupport('Activists in London dumped paint.', ['UK activists dumped paint.']).supported,
      false,
    );
  });
});
