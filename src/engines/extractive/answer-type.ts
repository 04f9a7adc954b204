/**
 * What kind of thing an English question asks for, when its wording says so, and whether a sentence
 * holds such a thing. Used to rank answers and to decline questions whose best sentence cannot
 * answer them ("How wide is…" over a sentence with no measure). Other languages: no type.
 */
export type AnswerType = 'number' | 'date' | 'person';

const NUMBER_QUESTION =
  /^(?:how (?:many|much|long|far|old|large|big|tall|high|wide|deep|often|fast|heavy|large)|what (?:percentage|percent|proportion|number|amount|size|length|height|width|depth|population|age|temperature|speed|distance|cost|price|fraction|ratio)\b|(?:at|by|to) (?:what|how) (?:much|many|temperature|speed|rate)\b)/iu;
const DATE_QUESTION =
  /^(?:when\b|(?:in|by|during|since|until|from) (?:what|which) (?:year|years|date|century|decade|month|day|period|era|time)\b|(?:what|which) (?:year|date|century|decade|month|day|time)\b)/iu;
const PERSON_QUESTION = /^(?:who|whom|whose)\b/iu;

const NUMBER_WORDS =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|trillion|dozen|half|twice|thrice|single|double|triple|several|few|many|percent)\b/iu;
const DATE_WORDS =
  /\b\d{3,4}s?\b|\b\d{1,2}(?:st|nd|rd|th)\b|\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|century|centuries|decade|today|yesterday|tomorrow|spring|summer|autumn|fall|winter|bc|ad|era|age|period|dynasty|reign|after|before|during|until|since|ago)\b/iu;

export function expectedAnswerType(question: string): AnswerType | null {
  const q = question.trim();
  if (DATE_QUESTION.test(q)) return 'date';
  if (NUMBER_QUESTION.test(q)) return 'number';
  if (PERSON_QUESTION.test(q)) return 'person';
  return null;
}

/** True when `sentence` holds something of `type` that the question itself does not already name. */
export function holdsAnswerType(sentence: string, type: AnswerType, question: string): boolean {
  switch (type) {
    case 'number':
      return NUMBER_WORDS.test(sentence);
    case 'date':
      return DATE_WORDS.test(sentence);
    case 'person': {
      const asked = new Set(question.toLowerCase().match(/\p{L}+/gu) ?? []);
      const names = sentence.match(/(?<=\s)\p{Lu}\p{Ll}+/gu) ?? [];
      return (
        names.some((name) => !asked.has(name.toLowerCase())) || /\b(?:he|she|they|who)\b/iu.test(sentence)
      );
    }
  }
}

const NEGATION = /\b(?:not|never|no|none|nor|neither|without)\b|n['’]t\b/iu;

/** A question asking what is *not* so, over a sentence saying nothing negative, is a trap. */
export function negationMismatch(question: string, sentence: string): boolean {
  return NEGATION.test(question) && !NEGATION.test(sentence);
}
