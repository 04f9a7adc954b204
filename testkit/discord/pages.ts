/**
 * Pages and pasted texts shared by the Discord tests, the drivers and scripts/preview-discord.ts:
 * the article fixture, its text as a user would paste it, the same page after an update, a page
 * long enough to need two messages, and a long council report for the paste form.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/core/paths.js';

/** The fixture article (Harbor Town's tidal barrier), as its site serves it: test/fixtures/discord/article.html. */
export const page = readFileSync(join(repoRoot(), 'test', 'fixtures', 'discord', 'article.html'), 'utf8');

/** The page's paragraphs (byline included) as plain text, in order. */
export const paragraphs = page
  .split('\n')
  .filter((l) => l.startsWith('<p>'))
  .map((l) => l.replace(/<[^>]+>/gu, ''));

/** The paragraphs pasted as one text, separated by blank lines, without the headline. */
export const pastedBody = paragraphs.join('\n\n');

/** The article as a reader pastes it: the headline, then the paragraphs. */
export const pasted = ['Harbor Town Opens Its Tidal Barrier', ...paragraphs].join('\n\n');

/** The same page after an update: a new lead paragraph and a corrected cost. */
export const updatedPage = page
  .replace(
    '<p>Harbor Town opened its new tidal barrier on Wednesday',
    '<p>Storm Petra tested the new barrier on Friday night, and the harbour master said the nine gates held back a surge of 2.4 metres without letting any water into the old town.</p>\n<p>Harbor Town opened its new tidal barrier on Wednesday',
  )
  .replace('cost 310 million euros', 'cost 325 million euros');

const PLACES = ['harbour', 'library', 'railway', 'school', 'hospital', 'market', 'park', 'bridge', 'museum'];
/** A page of long sentences whose summary needs two messages (the fixture's needs one). */
export const longPage = `<html><head><title>Riverton Weighs Its Building Plans</title></head><body><article><h1>Riverton Weighs Its Building Plans</h1>${Array.from(
  { length: 30 },
  (_, i) => {
    const p = PLACES[i % PLACES.length];
    return `<p>The ${p} plan, which the council debated for ${i + 3} hours on a wet Tuesday evening while residents, traders, engineers, teachers, nurses, drivers and a small group of students from the ${p} district waited outside with banners and flasks of tea, would cost ${10 + i} million euros over ${2 + (i % 6)} years, would be paid for partly by a regional grant and partly by a new levy on large businesses, and would, according to the ${p} committee chair, bring ${100 + i * 7} jobs to the town before the end of the decade, although the opposition said those figures had never been checked by anyone outside the committee.</p>`;
  },
).join('\n')}</article></body></html>`;

/** The title of the council report pasted by {@link pasteBoxes}. */
export const PASTE_TITLE = 'Riverton Council Publishes Its Ten-Year Building Plan';

const TOPICS = [
  ['harbour', 'Mara Okafor', 'the harbour authority', 'dredging the channel'],
  ['library', 'Jonas Petrov', 'the library board', 'repairing the reading room roof'],
  ['railway', 'Lena Marsh', 'the regional rail company', 'adding a second platform'],
  ['school', 'Priya Nair', 'the school trust', 'building six new classrooms'],
  ['hospital', 'Omar Haddad', 'the hospital foundation', 'opening a night clinic'],
  ['market', 'Elsa Berg', 'the market traders', 'covering the square with a canopy'],
  ['park', 'Tariq Aziz', 'the parks department', 'planting four hundred oak trees'],
  ['bridge', 'Hana Sato', 'the bridge engineers', 'replacing the rusted cables'],
] as const;

/** One paragraph of a long council report; every paragraph differs (names, sums, months). */
function reportParagraph(i: number): string {
  const [place, person, body, work] = TOPICS[i % TOPICS.length] ?? TOPICS[0];
  return [
    `In part ${i + 1} of the plan, ${body} asked for ${12 + ((i * 37) % 80)} million euros for ${work}.`,
    `${person} said the ${place} work would start in ${['March', 'June', 'September', 'November'][i % 4]} and take about ${2 + (i % 5)} years.`,
    'Residents nearby raised questions about noise, traffic and the cost, and the council promised a public meeting before any contract is signed.',
  ].join(' ');
}

/** 47 paragraphs (~15,000 characters) in four boxes of at most 4,000, split at paragraph breaks. */
export function pasteBoxes(): string[] {
  const out: string[] = [];
  let box = '';
  for (let i = 0; i < 47; i++) {
    const next = box ? `${box}\n\n${reportParagraph(i)}` : reportParagraph(i);
    if (next.length > 4000) {
      out.push(box);
      box = reportParagraph(i);
    } else box = next;
  }
  out.push(box);
  return out;
}

/** A news site's front page: 40 linked headlines and nothing else, which is not an article (a listing). */
export const listingPage = `<html><head><title>The Coastal Courier: latest news</title></head><body><main><h1>Latest news</h1><ul>${Array.from(
  { length: 40 },
  (_, i) =>
    `<li><a href="/news/${i}">Council members vote to expand the harbor ferry service for route ${i} after a long debate</a></li>`,
).join('')}</ul></main></body></html>`;
