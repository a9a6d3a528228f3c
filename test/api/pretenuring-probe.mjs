// Child process of heap-tuning.test.ts (plain JavaScript: a loader would change the heap's
// history): allocates object literals that all outlive scavenges, as a long batch keeps its
// objects, which makes V8 pretenure the literals' allocation sites. Run with
// `--trace-pretenuring-statistics`; the V8 flags given as arguments are set first, at run time,
// as the service sets its own (services/api/src/lifecycle/heap-tuning.ts).
import v8 from 'node:v8';

for (const flag of process.argv.slice(2)) v8.setFlagsFromString(flag);
const kept = [];
const literal = (i) => ({ i, pair: [i, i + 1], inner: { i } });
for (let i = 0; i < 600_000; i++) kept.push(literal(i));
console.log(`kept ${kept.length}`);
