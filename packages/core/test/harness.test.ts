/**
 * The compliance suite under a harness other than jest: the whole suite is registered with a
 * small runner of its own (the one the Chromium page uses) inside one jest test, over the
 * synchronous reference backing, and every test must pass there too, with the Node-only tests
 * still running (this is Node).
 */
import { describe, expect, it } from '@jest/globals';
import { createStore } from '@konserve-rx/core';
import { referenceBacking, runStoreCompliance } from '@konserve-rx/core/testing';
import { of } from 'rxjs';
import { miniHarness } from '../../../test-support/browser/mini-harness';

describe('runStoreCompliance with an injected harness', () => {
  it('registers with the given describe/it/expect and hooks, not jest globals, and passes over the reference backing', async () => {
    const harness = miniHarness();
    runStoreCompliance({ name: 'reference', connect: () => of(createStore(referenceBacking())), capabilities: { syncResults: true }, harness });
    const results = await harness.run();
    expect(results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(results.filter((r) => r.status === 'passed').length).toBeGreaterThan(250);
    expect(results.some((r) => r.name.includes('bassoc of a Node Readable') && r.status === 'passed')).toBe(true);
  });

  it("a failing assertion fails the harness's test with the matcher named, and other tests still run", async () => {
    const harness = miniHarness();
    harness.describe('block', () => {
      harness.it('fails', () => harness.expect({ a: 1 }).toEqual({ a: 2 }));
      harness.it('passes', () => harness.expect(new Map([[1, { a: 1 }]])).toEqual(new Map([[1, { a: 1 }]])));
    });
    const results = await harness.run();
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['block › fails', 'failed'],
      ['block › passes', 'passed'],
    ]);
    expect(results[0]!.error).toContain('toEqual');
  });
});
