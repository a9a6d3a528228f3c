// Counts V8's full collections (mark-compacts) while a workload keeps a live set and churns
// objects that live long enough to be promoted, as request objects under load do; the V8 flags
// given as arguments are set at run time first, as the service sets its own
// (services/api/src/lifecycle/heap-tuning.ts). Prints {"majors": N}.
import v8 from 'node:v8';
import { constants, PerformanceObserver } from 'node:perf_hooks';

for (const flag of process.argv.slice(2)) v8.setFlagsFromString(flag);
let majors = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++;
});
observer.observe({ entryTypes: ['gc'] });

const record = (i) => ({ id: i, name: `account ${i}`, tags: [i, i + 1, i + 2], text: 'x'.repeat(64 + (i % 64)) });
// A live set of about 40 MB, kept to the end.
const live = Array.from({ length: 150_000 }, (_, i) => record(i));
// Objects in flight: each outlives many scavenges before it is replaced, so it is promoted and dies old.
const window = new Array(40_000);
for (let i = 0; i < 3_000_000; i++) window[i % window.length] = record(i);
// The observer hears of collections a little later.
await new Promise((resolve) => setTimeout(resolve, 100));
observer.disconnect();
console.log(JSON.stringify({ majors, live: live.length }));
