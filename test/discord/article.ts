import { readFixture } from '../helpers/fixtures.js';

/** The article page the Discord tests serve from their local article server (HTML). */
export const page = readFixture('discord', 'article.html');

/** The page's paragraphs as plain text, in order. */
export const paragraphs = page
  .split('\n')
  .filter((l) => l.startsWith('<p>'))
  .map((l) => l.replace(/<[^>]+>/gu, ''));

/** The paragraphs pasted as one text, without the headline. */
export const pastedBody = paragraphs.join('\n\n');

/** The article as a reader pastes it: the headline, then the paragraphs. */
export const pasted = ['Harbor Town Opens Its Tidal Barrier', ...paragraphs].join('\n\n');
