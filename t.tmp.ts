import { stripProposalEdges, splitAtEllipses } from './src/grounding/normalize.ts';
for (const n of [20, 25, 30, 35]) { const s = 'x' + '.'.repeat(n) + 'x'; const t = performance.now(); stripProposalEdges(s); console.log(n, (performance.now() - t).toFixed(1)); }
for (const n of [2000, 8000]) { const s = 'x' + '... '.repeat(n/4) + 'x'; const t = performance.now(); stripProposalEdges(s); console.log('ell', n, (performance.now() - t).toFixed(1)); }
for (const n of [2000, 8000]) { const s = 'x' + '[ '.repeat(n/2) + 'x'; const t = performance.now(); stripProposalEdges(s); splitAtEllipses(s); console.log('br', n, (performance.now() - t).toFixed(1)); }
