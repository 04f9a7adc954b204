import { ALL_SHAPES, bestMs, shapeText, TEXT_CASES } from './testkit/drivers/adversarial-text.ts';
const only = process.argv[2];
for (const c of TEXT_CASES) {
  if (only && !c.name.startsWith(only)) continue;
  const bad: string[] = [];
  let worst = 0;
  for (const s of c.shapes) {
    const a = await bestMs(c.run, shapeText(s, 12_500), 2);
    if (a > 3000) { bad.push(`${s.name}: ${a.toFixed(0)}ms@12.5k`); continue; }
    const b = await bestMs(c.run, shapeText(s, 50_000), 1);
    const r = b / Math.max(a, 0.5);
    worst = Math.max(worst, b);
    if (r > 7 && b > 20) bad.push(`${s.name}: ${a.toFixed(1)}→${b.toFixed(1)} ×${r.toFixed(1)}`);
  }
  console.log(`${c.name} (max50k ${worst.toFixed(0)}ms): ${bad.join(' | ') || 'ok'}`);
}
