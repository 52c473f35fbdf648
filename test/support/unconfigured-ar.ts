/**
 * A company's own small AR as `pnpm recoup import DIR` loads it, with no organisation: partners
 * in segments CONSUMER (4, EUR) and BUSINESS (2, one item in GBP), every one overdue at
 * 2026-03-31; the import registers the two segments and nothing else (no collection group,
 * strategy or specialist).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Database } from '../../packages/server/src/db/database';
import { directorySources, importAr } from '../../packages/server/src/import';

export const UNCONFIGURED_AS_OF = '2026-03-31';

const FILES: Record<string, string> = {
  'partners.csv': `partner_id,name,country,currency,risk_class,credit_limit,customer_type,segment
C1,Anna Müller,DE,EUR,,,POSTPAID,CONSUMER
C2,Ben Braun,DE,EUR,,,POSTPAID,CONSUMER
C3,Cem Yilmaz,DE,EUR,,,PREPAID,CONSUMER
C4,Dora Klein,DE,EUR,,,PREPAID,CONSUMER
B1,Acme Ltd,GB,GBP,,,CORPORATE,BUSINESS
B2,Bolt plc,GB,GBP,,,CORPORATE,BUSINESS
`,
  'open_items.csv': `item_id,partner_id,company_code,document_date,due_date,amount,open_amount,currency,dunning_level,dunning_block,profit_center
I1,C1,1000,2026-01-01,2026-02-01,100.00,100.00,EUR,,,
I2,C2,1000,2026-01-01,2026-02-15,200.00,200.00,EUR,,,
I3,C3,1000,2026-01-01,2026-03-01,300.00,300.00,EUR,,,
I4,C4,1000,2026-01-01,2026-03-15,400.00,400.00,EUR,,,
I5,B1,2000,2026-01-01,2026-02-01,1000.00,1000.00,EUR,,,
I6,B2,2000,2026-01-01,2026-02-01,1000.00,1000.00,GBP,,,
`,
  'fx_rates.csv': `rate_date,from_currency,to_currency,rate
2026-03-01,GBP,EUR,1.1700000000
`,
};

export async function importUnconfiguredAr(db: Database): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'recoup-unconfigured-'));
  for (const [name, text] of Object.entries(FILES)) await writeFile(path.join(dir, name), text);
  await importAr(db, directorySources(dir));
}
