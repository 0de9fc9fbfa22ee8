/**
 * The browser example (examples/browser) built as its README says and used in headless Chromium:
 * a note added in one tab through the form appears in the other tab's list, live; a screenshot of
 * both is saved under the temp folder.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireBuilt } from '../../test-support/children';
import { describeInChromium, startBrowser, type BrowserSession } from '../../test-support/chromium';

describeInChromium('examples/browser: shared notes in headless Chromium', () => {
  let session: BrowserSession;
  beforeAll(async () => {
    requireBuilt('packages/indexeddb');
    session = await startBrowser('examples/browser/notes.ts', {
      indexHtml: 'examples/browser/index.html',
      script: 'dist/notes.js',
      publishedWith: 'examples/browser/tsconfig.json',
    });
  }, 180_000);
  afterAll(() => session?.close());

  it('a note added through the form in one tab shows in the other tab, and a screenshot is saved', async () => {
    const [one, two] = [await session.openPage(), await session.openPage()];
    await one.fill('#text', 'bought milk');
    await one.click('button');
    await two.waitForFunction(() => document.querySelector('#notes')?.textContent?.includes('bought milk') === true);
    await two.fill('#text', 'and bread');
    await two.press('#text', 'Enter');
    await one.waitForFunction(() => document.querySelectorAll('#notes li').length === 2);
    expect(await one.locator('#notes li').allTextContents()).toEqual(['bought milk', 'and bread']);
    expect(await two.locator('#count').textContent()).toBe('2');
    const shot = join(mkdtempSync(join(tmpdir(), 'konserve-rx-example-')), 'shared-notes.png');
    await two.screenshot({ path: shot });
    expect(existsSync(shot) && statSync(shot).size > 0).toBe(true);
    console.log(`screenshot of the second tab: ${shot}`);
  });
});
