/**
 * Property-based tests (fast-check) over the file backing (fsync off): random sequences of Store
 * operations give the same results as the reference model, as on memory and Redis (the same
 * properties, from test-support/model-properties.ts).
 */
import { afterAll, describe } from '@jest/globals';
import { createStore } from '@konserve-rx/core';
import { fileBacking } from '@konserve-rx/fs';
import { modelProperties, storeSubject } from '../../../test-support/model-properties';
import { removeTempDirs, tempDir } from './helpers/temp-dirs';

afterAll(removeTempDirs);

describe('property: fs behaves like the model', () => {
  modelProperties(() => storeSubject(createStore(fileBacking({ path: tempDir('konserve-prop-'), fsync: false }))), {
    seed: 20261124,
    sequentialRuns: 15,
    concurrentRuns: 15,
  });
});
