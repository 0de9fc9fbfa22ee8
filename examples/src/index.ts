/**
 * The runnable examples. Each file runs on its own (`node examples/dist/<name>.js`) and exports
 * its `main(options)`, which examples/test/examples.test.ts runs against temporary folders.
 */
export { main as demo } from './main';
export { main as importJsonl, SAMPLE_FILE } from './import-jsonl';
export { main as liveWatch } from './live-watch';
export { main as eventJournal } from './event-journal';
export { main as latencyDemo } from './latency';
export { main as promises } from './promises';
export { main as sessions, SHORT_TTL_MS } from './sessions';
export type { ExampleOptions } from './support';
