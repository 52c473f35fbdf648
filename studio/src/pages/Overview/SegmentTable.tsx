import type { ReactElement } from 'react';
import type { ArOverviewFieldsFragment } from '../../gql/graphql';
import { formatInteger } from '../../lib/format';
import { MoneyList } from '../../components/Money';
import { OverdueBar } from '../../components/OverdueBar';

export function SegmentTable({ overview }: { overview: ArOverviewFieldsFragment }): ReactElement {
  const segments = [...overview.segments].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="card table-card">
      <header className="card-header">
        <h2>Collection segments</h2>
        <p className="muted">Open receivables per segment. A partner can belong to more than one segment, so partner counts need not add up.</p>
      </header>
      {segments.length === 0 ? (
        <p className="empty">No collection segments are configured yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Segment</th>
                <th scope="col" className="num">
                  Partners
                </th>
                <th scope="col" className="num">
                  Open items
                </th>
                <th scope="col" className="num">
                  Overdue items
                </th>
                <th scope="col" className="col-share">
                  Overdue share
                </th>
                <th scope="col" className="num">
                  Open amount
                </th>
              </tr>
            </thead>
            <tbody>
              {segments.map((s) => (
                <tr key={s.key}>
                  <th scope="row">
                    <span className="segment-name">{s.name}</span>
                    <span className="segment-key">{s.key}</span>
                  </th>
                  <td className="num">{formatInteger(s.partners)}</td>
                  <td className="num">{formatInteger(s.openItems)}</td>
                  <td className="num">{formatInteger(s.overdueItems)}</td>
                  <td className="col-share">
                    <OverdueBar overdue={s.overdueItems} open={s.openItems} />
                  </td>
                  <td className="num">
                    <MoneyList amounts={s.openAmounts} />
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">All receivables</th>
                <td className="num">{formatInteger(overview.partners)}</td>
                <td className="num">{formatInteger(overview.openItems)}</td>
                <td className="num">{formatInteger(overview.overdueItems)}</td>
                <td className="col-share">
                  <OverdueBar overdue={overview.overdueItems} open={overview.openItems} />
                </td>
                <td className="num">
                  <MoneyList amounts={overview.openAmounts} />
                </td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}
    </section>
  );
}
