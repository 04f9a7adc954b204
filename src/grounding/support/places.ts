import { fold } from './words.js';

/**
 * Capitals and a few other cities that news names in place of their country (`London` for the
 * UK, `Kyiv` for Ukraine). A claim naming the country is backed by a quote naming the city; never
 * the reverse, since a country does not say which of its cities.
 */
const CITY_COUNTRY: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['london', ['uk', 'britain', 'england', 'united kingdom']],
  ['edinburgh', ['uk', 'britain', 'scotland', 'united kingdom']],
  ['washington', ['us', 'usa', 'america', 'united states']],
  ['new york', ['us', 'usa', 'america', 'united states']],
  ['paris', ['france']],
  ['berlin', ['germany']],
  ['madrid', ['spain']],
  ['rome', ['italy']],
  ['moscow', ['russia']],
  ['kyiv', ['ukraine']],
  ['kiev', ['ukraine']],
  ['minsk', ['belarus']],
  ['warsaw', ['poland']],
  ['beijing', ['china']],
  ['tokyo', ['japan']],
  ['seoul', ['korea', 'south korea']],
  ['pyongyang', ['korea', 'north korea']],
  ['new delhi', ['india']],
  ['delhi', ['india']],
  ['islamabad', ['pakistan']],
  ['kabul', ['afghanistan']],
  ['tehran', ['iran']],
  ['baghdad', ['iraq']],
  ['damascus', ['syria']],
  ['ankara', ['turkey', 'turkiye']],
  ['jerusalem', ['israel']],
  ['cairo', ['egypt']],
  ['riyadh', ['saudi arabia']],
  ['ottawa', ['canada']],
  ['canberra', ['australia']],
  ['brasilia', ['brazil']],
  ['mexico city', ['mexico']],
  ['buenos aires', ['argentina']],
  ['taipei', ['taiwan']],
  ['brussels', ['belgium']],
  ['amsterdam', ['netherlands', 'holland']],
  ['the hague', ['netherlands', 'holland']],
  ['vienna', ['austria']],
  ['bern', ['switzerland']],
  ['stockholm', ['sweden']],
  ['oslo', ['norway']],
  ['helsinki', ['finland']],
  ['copenhagen', ['denmark']],
  ['athens', ['greece']],
  ['lisbon', ['portugal']],
  ['dublin', ['ireland']],
  ['budapest', ['hungary']],
  ['prague', ['czech republic', 'czechia']],
  ['bucharest', ['romania']],
  ['tbilisi', ['georgia']],
  ['nairobi', ['kenya']],
  ['pretoria', ['south africa']],
  ['lagos', ['nigeria']],
  ['abuja', ['nigeria']],
  ['manila', ['philippines']],
  ['jakarta', ['indonesia']],
  ['bangkok', ['thailand']],
  ['hanoi', ['vietnam']],
];

/** Country names (folded, dots dropped: `U.K.` → `uk`) each city stands for. */
const COUNTRIES_OF = new Map(CITY_COUNTRY.map(([city, countries]) => [city, countries]));

/**
 * True when `country` (a name as written in a claim) is the country of a city named in `text`.
 * Compares whole words, case-insensitively, without dots.
 */
export function countryOfCityIn(country: string, text: string): boolean {
  const want = fold(country)
    .replace(/\./gu, '')
    .replace(/^the\s+/u, '')
    .trim();
  const haystack = ` ${fold(text).replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  for (const [city, countries] of COUNTRIES_OF) {
    if (countries.includes(want) && haystack.includes(` ${city} `)) return true;
  }
  return false;
}
