// Every migration, in order. `pnpm migration:generate NAME` writes a new file and appends it here.
import { Initial1795447815275 } from './1795447815275-Initial';

export const MIGRATIONS: Function[] = [Initial1795447815275];
