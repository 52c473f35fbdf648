import type { ColumnOptions } from 'typeorm';

/** Money is exact: numeric in storage, a decimal string in JS. Four decimals cover every ISO currency. */
export const MONEY = { type: 'numeric', precision: 19, scale: 4 } as const satisfies ColumnOptions;
export const FX_RATE = { type: 'numeric', precision: 20, scale: 10 } as const satisfies ColumnOptions;
export const CURRENCY = { type: 'char', length: 3 } as const satisfies ColumnOptions;
export const COUNTRY = { type: 'char', length: 2 } as const satisfies ColumnOptions;
export const KEY = { type: 'varchar', length: 40 } as const satisfies ColumnOptions;
export const EXTERNAL_ID = { type: 'varchar', length: 40, unique: true } as const satisfies ColumnOptions;
/** bigint ids come back from pg as strings; keep them so, never as lossy numbers. */
export const ID = { type: 'bigint' } as const satisfies ColumnOptions;
