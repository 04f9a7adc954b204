import { Tokenizer, type TokenizerCallbacks } from 'htmlparser2';

/**
 * Nesting the parser is given at most. htmlparser2 (under linkedom) keeps its open-element stack
 * with `unshift` and searches it on every end tag, so parsing costs depth × tags: 200,000 nested
 * `<div>`s (2.2 MB) took ~60 s. Blink flattens at the same depth (kMaximumHTMLParserDOMTreeDepth);
 * the extraction corpus nests 10–27 levels.
 */
export const MAX_HTML_DEPTH = 512;

/**
 * Elements the parser is given at most (dropped tags do not count); the page is cut before the
 * next one. Linear, but each
 * element costs 10–30 µs across parsing, clean-up and Readability, and 5 MB can hold 700,000 of
 * them (20 s, 730 MB). Real article pages have a few thousand.
 */
export const MAX_HTML_ELEMENTS = 100_000;

export interface BoundedHtml {
  /** The input unchanged when within both limits; else the tags past the limits removed. */
  readonly html: string;
  /** Start and end tags removed because they were nested deeper than the limit. */
  readonly flattened: number;
  /** Whether the page was cut after `MAX_HTML_ELEMENTS` elements. */
  readonly truncated: boolean;
}

/**
 * Bounds the work of parsing `html` before it is parsed, in one linear pass of htmlparser2's own
 * tokenizer (the one linkedom parses with, so tags, comments, scripts and quoted `>` are read the
 * same way). It replays the parser's open-element stack, implied end tags and foreign (SVG/MathML)
 * self-closing included, and drops each start tag that would nest deeper than `maxDepth`, with the
 * end tag that closes it: text is kept, only structure below the limit is lost. Past `maxElements`
 * start tags the rest of the page is cut. A page within both limits is returned as it was.
 */
export function boundHtml(
  html: string,
  maxDepth: number = MAX_HTML_DEPTH,
  maxElements: number = MAX_HTML_ELEMENTS,
): BoundedHtml {
  const scan = new NestingScan(html, maxDepth, maxElements);
  const tokenizer = new Tokenizer({ xmlMode: false, decodeEntities: true }, scan);
  tokenizer.write(html);
  tokenizer.end();
  if (scan.removed.length === 0 && scan.cutAt === null) return { html, flattened: 0, truncated: false };
  const kept: string[] = [];
  let from = 0;
  for (const [start, end] of scan.removed) {
    if (scan.cutAt !== null && start >= scan.cutAt) break;
    kept.push(html.slice(from, start));
    from = end;
  }
  kept.push(html.slice(from, scan.cutAt ?? html.length));
  return { html: kept.join(''), flattened: scan.removed.length, truncated: scan.cutAt !== null };
}

/* The tables below are htmlparser2 10.1's (Parser.js), which does not export them. */
const P = new Set(['p']);
const FORM = new Set(['input', 'option', 'optgroup', 'select', 'button', 'datalist', 'textarea']);
const TABLE_SECTION = new Set(['thead', 'tbody']);
const DD_DT = new Set(['dd', 'dt']);
const RT_RP = new Set(['rt', 'rp']);
const OPEN_IMPLIES_CLOSE = new Map<string, ReadonlySet<string>>([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['body', new Set(['head', 'link', 'script'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', DD_DT],
  ['dt', DD_DT],
  ['rt', RT_RP],
  ['rp', RT_RP],
  ['tbody', TABLE_SECTION],
  ['tfoot', TABLE_SECTION],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((t) => [t, FORM] as const),
  ...[
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((t) => [t, P] as const),
]);
const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const FOREIGN = new Set(['math', 'svg']);
const HTML_INTEGRATION = new Set([
  'mi',
  'mo',
  'mn',
  'ms',
  'mtext',
  'annotation-xml',
  'foreignobject',
  'desc',
  'title',
]);
/** Raw-text elements: the tokenizer reads their content as text, so their tags are never dropped. */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp']);

/** Tokenizer callbacks that replay the parser's stack over the tags that are kept. */
class NestingScan implements TokenizerCallbacks {
  /** [start, end) ranges of `html` to leave out, in order. */
  readonly removed: [number, number][] = [];
  /** Where the page is cut (the `<` of the first start tag past the element limit), or null. */
  cutAt: number | null = null;
  readonly #html: string;
  readonly #maxDepth: number;
  readonly #maxElements: number;
  /** Open elements, innermost last. */
  readonly #stack: string[] = [];
  readonly #open = new Map<string, number>();
  /** htmlparser2's foreign-context stack, innermost last: whether `/>` closes a tag. */
  readonly #foreign: boolean[] = [false];
  /** Dropped start tags not yet closed, by name: their end tags are dropped too. */
  readonly #dropped = new Map<string, number>();
  #elements = 0;
  #tag: { name: string; start: number } | null = null;

  constructor(html: string, maxDepth: number, maxElements: number) {
    this.#html = html;
    this.#maxDepth = maxDepth;
    this.#maxElements = maxElements;
  }

  onopentagname(start: number, endIndex: number): void {
    if (this.cutAt !== null) return;
    this.#tag = {
      name: this.#html.slice(start, endIndex).toLowerCase(),
      start: this.#html.lastIndexOf('<', start),
    };
  }

  onopentagend(endIndex: number): void {
    this.#openTag(endIndex, {
      selfClosing: false,
      rawText: this.#tag !== null && RAW_TEXT.has(this.#tag.name),
    });
  }

  /** `/>` closes the tag in a foreign context, as the parser sees it after the tag's own start (`<desc/>` in SVG does not close). */
  onselfclosingtag(endIndex: number): void {
    const name = this.#tag?.name ?? '';
    const foreign = VOID.has(name)
      ? this.#foreign.at(-1)
      : FOREIGN.has(name) || (!HTML_INTEGRATION.has(name) && this.#foreign.at(-1));
    this.#openTag(endIndex, { selfClosing: foreign === true, rawText: false });
  }

  /**
   * A start tag, decided at its end: `<script>` makes the tokenizer read raw text up to `</script>`
   * (so it cannot nest and is never dropped), `<script/>` does not (it opens an element like any other).
   */
  #openTag(endIndex: number, { selfClosing, rawText }: { selfClosing: boolean; rawText: boolean }): void {
    const tag = this.#tag;
    this.#tag = null;
    if (tag === null || this.cutAt !== null) return;
    const { name } = tag;
    const closes = OPEN_IMPLIES_CLOSE.get(name);
    let implied = 0;
    if (closes !== undefined) {
      while (
        implied < this.#stack.length &&
        closes.has(this.#stack[this.#stack.length - 1 - implied] ?? '')
      ) {
        implied++;
      }
    }
    const nests = !VOID.has(name) && !selfClosing;
    const tooDeep =
      (nests && !rawText && this.#stack.length - implied >= this.#maxDepth) ||
      ((FOREIGN.has(name) || HTML_INTEGRATION.has(name)) && this.#foreign.length >= this.#maxDepth);
    if (tooDeep) {
      this.removed.push([tag.start, endIndex + 1]);
      if (nests) this.#dropped.set(name, (this.#dropped.get(name) ?? 0) + 1);
      return;
    }
    if (++this.#elements > this.#maxElements) {
      this.cutAt = tag.start;
      return;
    }
    for (let i = 0; i < implied; i++) this.#pop();
    if (VOID.has(name)) return;
    this.#stack.push(name);
    this.#open.set(name, (this.#open.get(name) ?? 0) + 1);
    if (FOREIGN.has(name)) this.#foreign.push(true);
    else if (HTML_INTEGRATION.has(name)) this.#foreign.push(false);
    if (selfClosing) this.#pop();
  }

  onclosetag(start: number, endIndex: number): void {
    if (this.cutAt !== null) return;
    const name = this.#html.slice(start, endIndex).toLowerCase();
    const pending = this.#dropped.get(name) ?? 0;
    if (pending > 0) {
      const close = this.#html.indexOf('>', endIndex);
      this.removed.push([this.#html.lastIndexOf('<', start), close === -1 ? this.#html.length : close + 1]);
      this.#dropped.set(name, pending - 1);
      return;
    }
    if (FOREIGN.has(name) || HTML_INTEGRATION.has(name)) this.#foreign.pop();
    if (VOID.has(name) || (this.#open.get(name) ?? 0) === 0) return;
    for (let top = this.#pop(); top !== name && top !== undefined; top = this.#pop()) {}
  }

  /**
   * Closes the innermost open element. Tags are dropped only inside the element at the depth limit;
   * once that one closes, so have they (only raw-text elements are ever above it).
   */
  #pop(): string | undefined {
    const name = this.#stack.pop();
    if (name !== undefined) this.#open.set(name, (this.#open.get(name) ?? 1) - 1);
    if (this.#stack.length < this.#maxDepth) this.#dropped.clear();
    return name;
  }

  onattribdata(): void {}
  onattribentity(): void {}
  onattribend(): void {}
  onattribname(): void {}
  oncdata(): void {}
  oncomment(): void {}
  ondeclaration(): void {}
  onend(): void {}
  onprocessinginstruction(): void {}
  ontext(): void {}
  ontextentity(): void {}
}
