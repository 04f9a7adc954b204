import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expectedAnswerType,
  foldWord,
  guessLanguage,
  holdsAnswerType,
  questionLanguage,
  splitSentences,
  splitWords,
  stemmerFor,
  stopWordsFor,
  termRules,
  termsOf,
} from '../../src/text/index.js';
import { readFixture } from '../helpers/fixtures.js';

describe('foldWord: per-language folding', () => {
  it('GIVEN Turkish capitals THEN dotted and dotless i follow Turkish rules', () => {
    assert.equal(foldWord('İSTANBUL', 'tr'), 'istanbul');
    assert.equal(foldWord('ISPARTA', 'tr'), 'ısparta');
    assert.equal(foldWord('ISPARTA', 'en'), 'isparta');
  });

  it('GIVEN Arabic with diacritics, tatweel and alef forms THEN they fold to one spelling', () => {
    assert.equal(foldWord('بُنِيَ', 'ar'), 'بني');
    assert.equal(foldWord('أحمد', 'ar'), foldWord('احمد', 'ar'));
    assert.equal(foldWord('إسلام', 'ar'), foldWord('اسلام', 'ar'));
    assert.equal(foldWord('كتـــاب', 'ar'), 'كتاب');
    assert.equal(foldWord('مدينة', 'ar'), foldWord('مدينه', 'ar'));
  });

  it('GIVEN Hindi with nukta or chandrabindu THEN they fold to the plain letters', () => {
    assert.equal(foldWord('ज़िला', 'hi'), foldWord('जिला', 'hi'));
    assert.equal(foldWord('कहाँ', 'hi'), foldWord('कहां', 'hi'));
  });

  it('GIVEN Greek with accents and a final sigma THEN they fold to unaccented medial sigma', () => {
    assert.equal(foldWord('Πότε', 'el'), 'ποτε');
    assert.equal(foldWord('ποιος', 'el'), 'ποιοσ');
  });

  it('GIVEN digits of other scripts THEN they read as ASCII digits', () => {
    assert.equal(foldWord('١٩٦٠', 'ar'), '1960');
    assert.equal(foldWord('२०२३', 'hi'), '2023');
    assert.equal(foldWord('๒๕๖๖', 'th'), '2566');
  });
});

describe('stemmerFor and termsOf in many languages', () => {
  it('GIVEN inflected words THEN Snowball stemmers join them (Russian, Turkish, German, Arabic, Romanian)', () => {
    const same = (lang: string, words: string[]) =>
      assert.equal(new Set(termsOf(words.join(' '), termRules(lang))).size, 1, `${lang}: ${words}`);
    same('ru', ['метров', 'метра', 'метрах']);
    same('tr', ['kitaplarımızdan', 'kitap', 'kitaplar']);
    same('de', ['Verhandlungen', 'Verhandlung']);
    same('ar', ['المكتبات', 'مكتبة']);
    same('ro', ['orașele', 'orașul']);
  });

  it('GIVEN Hindi and Greek THEN their light stemmers join plural and singular', () => {
    assert.equal(stemmerFor('hi')('नदियों'), stemmerFor('hi')('नदी'));
    assert.equal(termsOf('ποταμού', termRules('el'))[0], termsOf('ποταμός', termRules('el'))[0]);
  });

  it('GIVEN a Turkish name with a suffix after an apostrophe THEN the suffix is dropped', () => {
    assert.deepEqual(termsOf("İstanbul'da", termRules('tr')), termsOf('İstanbul', termRules('tr')));
  });

  it('GIVEN Chinese and Thai THEN words come from the segmenter, unstemmed, stop words dropped', () => {
    const chinese = termsOf('南京长江大桥', termRules('zh'));
    assert.deepEqual(chinese.slice(0, 2), ['南京', '长江']);
    const thai = termsOf('แม่น้ำเจ้าพระยาไหลผ่านกรุงเทพมหานคร', termRules('th'));
    assert.ok(thai.includes('กรุงเทพมหานคร'), thai.join(' '));
    assert.ok(splitWords('แม่น้ำเจ้าพระยา', 'th').length >= 2);
  });

  it('GIVEN languages with kept stop-word lists THEN their function words are stop words', () => {
    assert.ok(stopWordsFor('de').has('und'));
    assert.ok(stopWordsFor('ar').has('في'));
    assert.ok(stopWordsFor('hi').has('और'));
    assert.ok(stopWordsFor('tr').has('ve'));
    assert.ok(stopWordsFor('el').has('και'));
    assert.ok(stopWordsFor('en').has('said'));
    assert.equal(stopWordsFor('xx').size, 0);
  });
});

describe('guessLanguage on short texts', () => {
  const questions: ReadonlyArray<[string, string]> = [
    ['en', 'Who gave the Vikings a common identity?'],
    ['de', 'Wer gab den Wikingern eine gemeinsame Identität?'],
    ['es', '¿Quién dio a los vikingos una identidad común?'],
    ['ro', 'Cine le-a dat vikingilor o identitate comună?'],
    ['tr', 'Vikinglere ortak bir kimlik kim verdi?'],
    ['vi', 'Ai đã cho người Viking một bản sắc chung?'],
    ['ru', 'Кто дал викингам общую идентичность?'],
    ['el', 'Ποιος έδωσε στους Βίκινγκς μια κοινή ταυτότητα;'],
    ['ar', 'من أعطى الفايكنج هوية مشتركة؟'],
    ['hi', 'वाइकिंग्स को एक साझा पहचान किसने दी?'],
    ['th', 'ใครให้อัตลักษณ์ร่วมกันแก่ชาวไวกิ้ง'],
    ['zh', '谁给了维京人一个共同的身份？'],
  ];
  for (const [lang, q] of questions) {
    it(`GIVEN a ${lang} question THEN it is guessed as ${lang}`, () => {
      assert.equal(guessLanguage(q), lang);
    });
  }

  it('GIVEN the fixtures with no declared language THEN each is guessed right', () => {
    const files: ReadonlyArray<[string, string]> = [
      ['zh', 'zh-bridge.txt'],
      ['ar', 'ar-nile.txt'],
      ['tr', 'tr-bosphorus.txt'],
      ['hi', 'hi-ganga.txt'],
      ['th', 'th-chao-phraya.txt'],
      ['de', 'de-rhein.txt'],
    ];
    for (const [lang, file] of files) assert.equal(guessLanguage(readFixture('languages', file)), lang, file);
  });

  it('GIVEN a question in another language than the article THEN it is read in its own; names alone read as the article', () => {
    assert.equal(questionLanguage('When was the Kölner Dom finished?', 'de'), 'en');
    assert.equal(questionLanguage('Wann wurde der Kölner Dom fertiggestellt?', 'de'), 'de');
    assert.equal(questionLanguage('Kölner Dom 1880?', 'de'), 'de');
    assert.equal(questionLanguage('Кто такой Лавров?', 'en'), 'ru');
  });
});

describe('question cues in many languages', () => {
  const cases: ReadonlyArray<[string, string, string]> = [
    ['de', 'In welchem Jahr wurde der Dom fertiggestellt?', 'date'],
    ['ru', 'Сколько стоил ремонт?', 'number'],
    ['zh', '大桥是什么时候建成的？', 'date'],
    ['ar', 'كم عدد السكان؟', 'number'],
    ['tr', 'Köprü ne zaman açıldı?', 'date'],
    ['hi', 'गंगा कहाँ से निकलती है?', 'place'],
    ['th', 'ใครสร้างสะพาน', 'person'],
    ['el', 'Πότε χτίστηκε η γέφυρα;', 'date'],
    ['en', 'How many people live there?', 'number'],
  ];
  for (const [lang, q, type] of cases) {
    it(`GIVEN "${q}" THEN it asks for a ${type}`, () => {
      assert.equal(expectedAnswerType(q, lang), type);
    });
  }

  it('GIVEN a date question THEN a sentence with a year or the language’s month name holds a date', () => {
    assert.ok(holdsAnswerType('Der Dom wurde im Mai fertig.', 'date', 'Wann?', 'de'));
    assert.ok(holdsAnswerType('Köprü 1973 yılında açıldı.', 'date', 'Ne zaman?', 'tr'));
    assert.equal(holdsAnswerType('Der Dom ist groß.', 'date', 'Wann?', 'de'), false);
  });
});

describe('Thai sentences', () => {
  it('GIVEN a long Thai paragraph without full stops THEN it is cut at spaces into pieces, none short', () => {
    const clause = 'แม่น้ำสายนี้มีความยาวประมาณสามร้อยกิโลเมตรและไหลผ่านหลายจังหวัดทางภาคกลางของประเทศไทย';
    const text = Array.from({ length: 8 }, () => clause).join(' ');
    const sentences = splitSentences(text, 'th');
    assert.ok(sentences.length >= 2, String(sentences.length));
    for (const s of sentences) {
      assert.equal(text.slice(s.start, s.end), s.text);
      assert.ok(s.text.length >= 200 || s === sentences.at(-1));
    }
  });
});
