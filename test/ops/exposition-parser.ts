/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be a
 * HELP, a TYPE, a sample or empty (the format ignores empty lines); it throws (naming the line) on anything the format does not allow and
 * on what Prometheus would reject: a sample before its TYPE, a family split in two, a duplicate
 * series, histogram buckets that are not cumulative or whose `+Inf` bucket differs from `_count`.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Family {
  readonly name: string;
  help: string | undefined;
  type: string | undefined;
  readonly samples: Sample[];
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*';
/** Prometheus reads values with Go's ParseFloat, which takes NaN in any case (prom-client writes `Nan`). */
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|[Nn][Aa][Nn])$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parseExposition(text: string): Map<string, Family> {
  if (text !== '' && !text.endsWith('\n')) throw new Error('exposition must end with a line feed');
  const families = new Map<string, Family>();
  const closed = new Set<string>();
  let current: Family | undefined;
  const lines = text === '' ? [] : text.slice(0, -1).split('\n');
  const open = (name: string, lineNo: number): Family => {
    if (current?.name === name) return current;
    if (current) closed.add(current.name);
    if (closed.has(name)) throw new Error(`line ${lineNo}: family ${name} appears twice`);
    const family: Family = { name, help: undefined, type: undefined, samples: [] };
    families.set(name, family);
    current = family;
    return family;
  };
  lines.forEach((line, i) => {
    const lineNo = i + 1;
    if (line === '') return;
    const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
    if (meta) {
      const [, keyword, name, rest] = meta as unknown as [string, string, string, string];
      const family = open(name, lineNo);
      if (family.samples.length > 0) throw new Error(`line ${lineNo}: ${keyword} after samples of ${name}`);
      if (keyword === 'HELP') {
        if (family.help !== undefined) throw new Error(`line ${lineNo}: second HELP for ${name}`);
        family.help = unescapeText(rest, false, lineNo);
      } else {
        if (family.type !== undefined) throw new Error(`line ${lineNo}: second TYPE for ${name}`);
        if (!TYPES.has(rest)) throw new Error(`line ${lineNo}: unknown type ${rest}`);
        family.type = rest;
      }
      return;
    }
    if (line.startsWith('#')) throw new Error(`line ${lineNo}: unexpected comment ${JSON.stringify(line)}`);
    const sample = parseSample(line, lineNo);
    const family = open(familyOf(sample.name, current), lineNo);
    if (family.type === undefined) throw new Error(`line ${lineNo}: sample before TYPE of ${family.name}`);
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (family.samples.some((s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort())}` === key)) {
      throw new Error(`line ${lineNo}: duplicate series ${line}`);
    }
    family.samples.push(sample);
  });
  for (const family of families.values()) {
    if (family.type === 'histogram') checkHistogram(family);
    if (family.type === 'counter' && family.samples.some((s) => !(s.value >= 0))) {
      throw new Error(`counter ${family.name} has a negative or NaN value`);
    }
  }
  return families;
}

function familyOf(sampleName: string, current: Family | undefined): string {
  if (current?.type === 'histogram') {
    for (const suffix of ['_bucket', '_sum', '_count']) {
      if (sampleName === `${current.name}${suffix}`) return current.name;
    }
  }
  return sampleName;
}

function parseSample(line: string, lineNo: number): Sample {
  const head = new RegExp(`^(${NAME})`).exec(line);
  if (!head) throw new Error(`line ${lineNo}: no metric name in ${JSON.stringify(line)}`);
  const name = head[1] as string;
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === '{') {
    pos += 1;
    while (line[pos] !== '}') {
      const label = new RegExp(`^(${LABEL})="`).exec(line.slice(pos));
      if (!label) throw new Error(`line ${lineNo}: bad label at column ${pos + 1}`);
      const labelName = label[1] as string;
      pos += label[0].length;
      let raw = '';
      while (line[pos] !== '"') {
        if (pos >= line.length) throw new Error(`line ${lineNo}: unterminated label value`);
        if (line[pos] === '\\') {
          raw += line.slice(pos, pos + 2);
          pos += 2;
        } else {
          raw += line[pos];
          pos += 1;
        }
      }
      pos += 1;
      if (Object.hasOwn(labels, labelName)) throw new Error(`line ${lineNo}: label ${labelName} twice`);
      labels[labelName] = unescapeText(raw, true, lineNo);
      if (line[pos] === ',') pos += 1;
      else if (line[pos] !== '}') throw new Error(`line ${lineNo}: expected , or } at column ${pos + 1}`);
    }
    pos += 1;
  }
  const rest = line.slice(pos);
  const parts = /^ (\S+)(?: (-?\d+))?$/.exec(rest);
  if (!parts || !VALUE.test(parts[1] as string)) {
    throw new Error(`line ${lineNo}: bad value in ${JSON.stringify(line)}`);
  }
  return { name, labels, value: toNumber(parts[1] as string) };
}

/** Label values allow `\\`, `\"`, `\n`; HELP text `\\` and `\n`. Anything else is an error here. */
function unescapeText(raw: string, quotes: boolean, lineNo: number): string {
  if (raw.includes('\n')) throw new Error(`line ${lineNo}: raw line feed`);
  return raw.replace(/\\(.?)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === '"' && quotes) return '"';
    throw new Error(`line ${lineNo}: invalid escape \\${c}`);
  });
}

function toNumber(text: string): number {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return Number(text);
}

function checkHistogram(family: Family): void {
  const byLabels = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = byLabels.get(key) ?? { buckets: [] };
    byLabels.set(key, entry);
    if (s.name === `${family.name}_bucket`) {
      if (le === undefined) throw new Error(`${family.name}_bucket without le`);
      entry.buckets.push([toNumber(le), s.value]);
    } else if (s.name === `${family.name}_sum`) entry.sum = s.value;
    else if (s.name === `${family.name}_count`) entry.count = s.value;
    else throw new Error(`histogram ${family.name} has a stray sample ${s.name}`);
  }
  for (const [key, { buckets, sum, count }] of byLabels) {
    if (sum === undefined || count === undefined)
      throw new Error(`${family.name}${key}: _sum or _count missing`);
    const last = buckets.at(-1);
    if (last?.[0] !== Number.POSITIVE_INFINITY) throw new Error(`${family.name}${key}: no +Inf bucket last`);
    if (last[1] !== count) throw new Error(`${family.name}${key}: +Inf bucket ${last[1]} ≠ count ${count}`);
    buckets.forEach(([le, n], i) => {
      const prev = buckets[i - 1];
      if (prev && !(le > prev[0])) throw new Error(`${family.name}${key}: le not increasing`);
      if (prev && n < prev[1]) throw new Error(`${family.name}${key}: buckets not cumulative`);
    });
  }
}
