/**
 * Core proves the compliance suite on its own minimal reference backing before any package
 * uses it: once synchronous, once answering every call with a promise, so both of core's paths
 * (and its fallbacks for backings without prefix reads, handles, streams or batches) run.
 */
import { runStoreCompliance } from '@konserve-rx/core/testing';
import { of } from 'rxjs';
import { createStore } from '../src';
import { referenceBacking } from '../src/testing/reference-backing';

runStoreCompliance({ name: 'reference (sync)', connect: () => of(createStore(referenceBacking())), capabilities: { syncResults: true } });
runStoreCompliance({ name: 'reference (async)', connect: () => of(createStore(referenceBacking({ async: true }))), capabilities: { syncResults: false } });
