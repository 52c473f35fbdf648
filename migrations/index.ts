// Every migration, in order. `pnpm migration:generate NAME` writes a new file and appends it here.
import { Initial1795447041435 } from './1795447041435-Initial';

export const MIGRATIONS: Function[] = [Initial1795447041435];
