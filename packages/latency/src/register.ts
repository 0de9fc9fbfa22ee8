/** The 'latency' entry of core's backend registry: importing the package registers it. */
import { backendOptions, registerBackend } from '@konserve-rx/core';
import { connectLatencyStore } from './connect';
import { LATENCY_BACKEND_NAME } from './name';
import type { LatencyStoreOptions } from './options';

registerBackend(LATENCY_BACKEND_NAME, (config) => connectLatencyStore(backendOptions(config) as LatencyStoreOptions));
