/**
 * Adversarial-text timings (issue 10 §2): every text-facing function of testkit/drivers/adversarial-text.ts
 * on each of its crafted shapes at 50,000, 100,000 and 200,000 characters, reported as CPU
 * milliseconds per 100,000 characters (median of `runs` calls). Linear work gives the same figure at
 * every size; a figure that doubles with each doubling of the size is quadratic.
 *
 * Usage: node dist/scripts/bench-adversarial.js [--runs N] [--only NAME]
 * Exported as `benchAdversarial` for `npm run bench`.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { shapeText, TEXT_CASES } from '../testkit/drivers/adversarial-text.js';

export const ADVERSARIAL_SIZES = [50_000, 100_000, 200_000] as const;

export interface AdversarialRow {
  readonly fn: string;
  readonly shape: string;
  /** CPU milliseconds per 100,000 characters at each of ADVERSARIAL_SIZES (medians). */
  readonly msPer100k: readonly number[];
  /** The figure at 200k over the one at 50k: ~1 linear, ~4 quadratic. */
  readonly growth: number;
}

async function medianCpuMs(run: (text: string) => unknown, text: string, runs: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.cpuUsage();
    await run(text);
    const used = process.cpuUsage(started);
    times.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

export async function benchAdversarial(
  options: { runs?: number; only?: string } = {},
): Promise<AdversarialRow[]> {
  const runs = options.runs ?? 3;
  const rows: AdversarialRow[] = [];
  for (const textCase of TEXT_CASES) {
    if (options.only !== undefined && !textCase.name.startsWith(options.only)) continue;
    for (const shape of textCase.shapes) {
      const msPer100k: number[] = [];
      for (const chars of ADVERSARIAL_SIZES) {
        const ms = await medianCpuMs(textCase.run, shapeText(shape, chars), runs);
        msPer100k.push((ms * 100_000) / chars);
      }
      const first = Math.max(msPer100k[0] as number, 0.01);
      rows.push({
        fn: textCase.name,
        shape: shape.name,
        msPer100k,
        growth: (msPer100k[2] as number) / first,
      });
    }
  }
  return rows;
}

/** One line per row: `fn · shape  a / b / c ms per 100k chars (×growth)`. */
export function formatAdversarialRow(row: AdversarialRow): string {
  const figures = row.msPer100k.map((ms) => ms.toFixed(1).padStart(7)).join(' /');
  return `  ${`${row.fn} · ${row.shape}`.padEnd(58)} ${figures}  (×${row.growth.toFixed(1)})`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { runs: { type: 'string' }, only: { type: 'string' } } });
  const rows = await benchAdversarial({
    runs: values.runs === undefined ? 3 : Number(values.runs),
    ...(values.only === undefined ? {} : { only: values.only }),
  });
  console.log('adversarial text, CPU ms per 100,000 chars at 50k / 100k / 200k (median):');
  for (const row of rows) console.log(formatAdversarialRow(row));
}
