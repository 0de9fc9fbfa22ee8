/**
 * The IndexedDB backend in a real browser: headless Chromium runs the compliance suite in a page
 * over the real IndexedDB and over memory, keeps a value across a reload, and shows a write made
 * in one tab to `watch` in another. One browser for the whole file; pages are reused.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { describeInChromium, startBrowser, type BrowserSession } from '../../../test-support/chromium';
import type { KonservePage } from './browser/page';

declare const konserve: KonservePage;

describeInChromium('indexeddb in headless Chromium', () => {
  let session: BrowserSession;
  let page: Page;
  beforeAll(async () => {
    session = await startBrowser('packages/indexeddb/test/browser/page.ts');
    page = await session.openPage();
  }, 120_000);
  afterAll(() => session?.close());

  const complianceIn = async (backend: 'indexeddb' | 'memory') => {
    const results = await page.evaluate((b) => konserve.compliance(b), backend);
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(results.filter((r) => r.status === 'passed').length).toBeGreaterThan(250);
    return results;
  };

  it('the compliance suite passes in the page over the real IndexedDB', () => complianceIn('indexeddb'), 240_000);

  it('the compliance suite passes in the page over memory', () => complianceIn('memory'), 120_000);

  it('a value written before a page reload reads back after it', async () => {
    await page.evaluate(() => konserve.assoc('persisted', 'note', { text: 'kept', at: 1 }));
    await page.reload();
    await page.waitForFunction(() => (globalThis as { ready?: boolean }).ready === true);
    expect(await page.evaluate(() => konserve.get('persisted', 'note'))).toEqual({ text: 'kept', at: 1 });
  });

  it('watch in one tab sees a write committed in another tab of the same origin', async () => {
    const other = await session.openPage();
    await page.evaluate(() => konserve.watch('tabs', 'counter'));
    await other.evaluate(() => konserve.assoc('tabs', 'counter', 7));
    await page.waitForFunction(() => konserve.watched('tabs', 'counter').length >= 2);
    expect(await page.evaluate(() => konserve.watched('tabs', 'counter'))).toEqual([undefined, 7]);
    await other.close();
  });
});
