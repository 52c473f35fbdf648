import { Column, Entity, PrimaryColumn } from 'typeorm';
import { CURRENCY, FX_RATE } from '../db/columns';

/** 1 unit of `fromCurrency` = `rate` units of `toCurrency` from `rateDate` on. The key order serves "latest rate on or before D". */
@Entity('fx_rates')
export class FxRate {
  @PrimaryColumn(CURRENCY)
  fromCurrency!: string;

  @PrimaryColumn(CURRENCY)
  toCurrency!: string;

  @PrimaryColumn({ type: 'date' })
  rateDate!: string;

  @Column(FX_RATE)
  rate!: string;
}
