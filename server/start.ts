// `npm start`: one Holdline process (server/index.ts), with the garbage collector flags its
// cores call for (server/garbage-collector.ts). Imports nothing else before that: on one core
// this process only stands in for the relaunched one, and should weigh nothing.
import { withGarbageCollectorFlags } from './garbage-collector.ts';

await withGarbageCollectorFlags();
const { run } = await import('./index.ts');
await run();
