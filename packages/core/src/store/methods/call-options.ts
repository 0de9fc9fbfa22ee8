/** The option names of per-call options, checked at subscribe like every other argument. */
import { optionNames } from '../../internal/check-options';
import type { AssocOptions, MultiAssocOptions, UpdateOptions } from '../../store-api';

/** Every option name of {@link AssocOptions} (`assoc`, `bassoc`). */
export const ASSOC_OPTIONS = optionNames<AssocOptions>({ meta: true, ttl: true });
/** Every option name of {@link MultiAssocOptions}. */
export const MULTI_ASSOC_OPTIONS = optionNames<MultiAssocOptions>({ meta: true, ttl: true });
/** Every option name of {@link UpdateOptions} (`update`, `updateIn`, `assocIn`). */
export const UPDATE_OPTIONS = optionNames<UpdateOptions>({ meta: true, ttl: true });
