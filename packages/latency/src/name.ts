/** The registry name of the latency backend. */

/** The name `connectStore({ backend })` knows the latency backend by. */
export const LATENCY_BACKEND_NAME = 'latency';
