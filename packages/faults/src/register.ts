/** The 'faulty' entry of core's backend registry: importing the package registers it. */
import { backendOptions, registerBackend } from '@konserve-rx/core';
import { connectFaultyStore, FAULTY_BACKEND_NAME, type FaultyStoreOptions } from './connect';

registerBackend(FAULTY_BACKEND_NAME, (config) => connectFaultyStore(backendOptions(config) as Partial<FaultyStoreOptions> as FaultyStoreOptions));
