import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CURRENCY, KEY, MONEY } from '../db/columns';
import { CompanyCode } from '../org';
import { PartnerRecord } from '../partners';

/**
 * A receivable line item; open while `openAmount > 0`. Cleared items stay in the mirror.
 * The AR mirror tables carry no foreign-key constraints: the importer checks every reference
 * set-based before it writes, and row-level FK triggers would cost a third of a bulk load.
 */
@Entity('open_items')
// Per-partner facts and the customer 360 read a partner's items by due date.
@Index('idx_open_items_partner_due', ['partnerId', 'dueDate'])
// Analytics at a key date read the open items only, covered (INCLUDE, which TypeORM cannot declare): migration 1796783000001.
@Index('idx_open_items_open_partner', { synchronize: false })
export class OpenItem extends PartnerRecord {
  @Column(KEY)
  companyCode!: string;

  @ManyToOne(() => CompanyCode, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'company_code' })
  company?: CompanyCode;

  @Column({ type: 'date' })
  documentDate!: string;

  @Column({ type: 'date' })
  dueDate!: string;

  @Column(MONEY)
  amount!: string;

  @Column(MONEY)
  openAmount!: string;

  @Column(CURRENCY)
  currency!: string;

  @Column({ type: 'smallint', default: 0 })
  dunningLevel!: number;

  @Column({ type: 'boolean', default: false })
  dunningBlock!: boolean;

  @Column({ type: 'varchar', length: 40, nullable: true })
  profitCenter!: string | null;
}
