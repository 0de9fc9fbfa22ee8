/**
 * The figures of docs/performance.md's browser section: konserve-rx's IndexedDB store against
 * idb-keyval in one Chromium page. A measurement, not a check (timings on a shared machine prove
 * nothing), so it runs only when asked: KONSERVE_BROWSER_BENCH=1 npx jest packages/indexeddb/test/browser-perf.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { describeInChromium, startBrowser, type BrowserSession } from '../../../test-support/chromium';
import type { PerfFigures } from './browser/perf-page';

declare const konservePerf: { run(n: number, rounds: number, options?: { locks?: null; shareChanges?: boolean }): Promise<PerfFigures> };

const wanted = process.env['KONSERVE_BROWSER_BENCH'] === '1';
const suite = wanted
  ? describeInChromium
  : (title: string, body: () => void) => describe.skip(`${title} (skipped: set KONSERVE_BROWSER_BENCH=1 to measure)`, body);

suite('IndexedDB store vs idb-keyval in Chromium', () => {
  let session: BrowserSession;
  beforeAll(async () => void (session = await startBrowser('packages/indexeddb/test/browser/perf-page.ts')), 120_000);
  afterAll(() => session?.close());

  it('measures sequential assoc/set and get of a ~1 KB document', async () => {
    const page = await session.openPage();
    const f = await page.evaluate(() => konservePerf.run(500, 9));
    const noLocks = await page.evaluate(() => konservePerf.run(500, 9, { locks: null }));
    const noShare = await page.evaluate(() => konservePerf.run(500, 9, { shareChanges: false }));
    const single = await page.evaluate(() => konservePerf.run(500, 9, { locks: null, shareChanges: false }));
    const row = (op: string, ours: number, theirs: number) => `| ${op} | ${Math.round(ours)} | ${Math.round(theirs)} | ${(ours / theirs).toFixed(2)}x |`;
    console.log(
      [
        `document: ${f.docBytes} bytes as JSON; ${f.rounds} rounds of ${f.opsPerRound} sequential operations each, alternating every 25, median ops/s`,
        '| operation | konserve-rx indexeddb | idb-keyval | ratio |',
        '| --- | --- | --- | --- |',
        row('write (assoc / set)', f.konserve.assoc, f.idbKeyval.set),
        row('read (get / get)', f.konserve.get, f.idbKeyval.get),
        row('write, `locks: null`', noLocks.konserve.assoc, noLocks.idbKeyval.set),
        row('write, `shareChanges: false`', noShare.konserve.assoc, noShare.idbKeyval.set),
        row('write, `locks: null, shareChanges: false`', single.konserve.assoc, single.idbKeyval.set),
        row('read, `locks: null, shareChanges: false`', single.konserve.get, single.idbKeyval.get),
      ].join('\n'),
    );
    expect(f.konserve.get).toBeGreaterThan(0);
  }, 300_000);
});
