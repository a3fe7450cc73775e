import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Every migration, in order. Schema changes only ever come from here (never `synchronize`). */
export const BRIDGE_MIGRATIONS = [InitialSchema1764000000000];
