/** The option names of per-call options, checked at subscribe like every other argument. */
import { optionNames } from '../internal/check-options';
import type { AssocOptions } from '../store';

/** Every option name of {@link AssocOptions} (`assoc`, `bassoc`). */
export const ASSOC_OPTIONS = optionNames<AssocOptions>({ meta: true });
