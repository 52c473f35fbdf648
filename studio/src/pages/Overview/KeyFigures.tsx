import type { ReactElement, ReactNode } from 'react';
import type { ArOverviewFieldsFragment } from '../../gql/graphql';
import { formatInteger } from '../../lib/format';
import { Money, MoneyFigures } from '../../components/Money';
import { OverdueBar } from '../../components/OverdueBar';

function Card({ label, children, foot, className }: { label: string; children: ReactNode; foot?: ReactNode; className?: string }): ReactElement {
  return (
    <section className={`card figure ${className ?? ''}`}>
      <h2 className="figure-label">{label}</h2>
      <div className="figure-value">{children}</div>
      {foot !== undefined && <div className="figure-foot">{foot}</div>}
    </section>
  );
}

export function KeyFigures({ overview }: { overview: ArOverviewFieldsFragment }): ReactElement {
  const { partners, openItems, overdueItems, openAmounts, segments } = overview;
  // Amounts in different currencies are never converted or added; with more than one,
  // they get a row of their own instead of squeezing into a single card.
  const single = openAmounts.length <= 1 ? openAmounts[0] : undefined;
  const multi = openAmounts.length > 1;
  return (
    <div className={`figures ${multi ? 'figures-3' : ''}`}>
      <Card label="Partners" foot={`in ${formatInteger(segments.length)} collection ${segments.length === 1 ? 'segment' : 'segments'}`}>
        {formatInteger(partners)}
      </Card>
      <Card label="Open items" foot="receivable items not yet cleared">
        {formatInteger(openItems)}
      </Card>
      <Card label="Overdue items" foot={<OverdueBar overdue={overdueItems} open={openItems} suffix=" of open" />}>
        {formatInteger(overdueItems)}
      </Card>
      {multi ? (
        <Card
          label="Open amount by currency"
          className="figure-wide"
          foot={`${openAmounts.length} currencies, each shown in its own currency — nothing is converted or added across currencies`}
        >
          <MoneyFigures amounts={openAmounts} />
        </Card>
      ) : (
        <Card label="Open amount" foot={single ? 'across all open items' : 'nothing is open'}>
          {single ? <Money {...single} /> : '–'}
        </Card>
      )}
    </div>
  );
}
