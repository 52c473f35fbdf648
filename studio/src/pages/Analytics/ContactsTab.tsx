import type { ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AnalyticsGroupBy, StudioAnalyticsContactsQuery } from '../../gql/graphql';
import { groupingFor, groupingLabel } from './analyticsParams';
import { ChartCard } from './ChartCard';
import { ChartBody, FigureTable, figureText, GroupName, keyWords, Tiles, tooltipNumber, type TabProps } from './common';
import type { CsvTable } from './csv';
import { ANALYTICS_CONTACTS } from './queries';

const CONTACT_GROUPINGS: AnalyticsGroupBy[] = ['SPECIALIST', 'GROUP', 'SEGMENT', 'STRATEGY'];
type ContactRow = StudioAnalyticsContactsQuery['analyticsContacts']['rows'][number];
type Breakdown = ContactRow['byChannel'][number];

/** Contacts: totals, by channel, direction and result, and per unit (specialist by default). */
export function ContactsTab(props: TabProps): ReactElement {
  const variables = { filter: props.filter, groupBy: null };
  const result = useQuery(ANALYTICS_CONTACTS, { variables });
  const total = result.data?.analyticsContacts.rows[0];
  const breakdowns = [
    { title: 'Contacts by channel', name: 'contacts-by-channel', pick: (r: ContactRow) => r.byChannel },
    { title: 'Contacts by direction', name: 'contacts-by-direction', pick: (r: ContactRow) => r.byDirection },
    { title: 'Contacts by result', name: 'contacts-by-result', pick: (r: ContactRow) => r.byResult },
  ];
  return (
    <>
      <Tiles
        label="Contact figures"
        tiles={[
          { label: 'Contacts', value: result.loading ? '…' : (total?.contacts.toLocaleString() ?? '0'), testId: 'contacts-total' },
          { label: 'Reached', value: result.loading ? '…' : (total?.reached.toLocaleString() ?? '0'), foot: 'recorded as reached' },
          {
            label: 'Reach rate',
            value: result.loading ? '…' : figureText(total?.reachPercent, '%'),
            foot: 'contacts recorded as reached / contacts (the contact’s reached flag)',
          },
          {
            label: 'Contacts per promise',
            value: result.loading ? '…' : figureText(total?.contactsPerPromise),
            foot: `${total?.promisesObtained.toLocaleString() ?? 0} promises obtained`,
          },
        ]}
      />
      <div className="analytics-grid">
        {breakdowns.slice(0, 2).map((b) => (
          <BreakdownChart
            key={b.name}
            title={b.title}
            name={b.name}
            rows={total ? b.pick(total) : []}
            loading={result.loading}
            error={result.error}
            ready={!!result.data}
            variables={variables}
          />
        ))}
      </div>
      {breakdowns.slice(2).map((b) => (
        <BreakdownChart
          key={b.name}
          title={b.title}
          name={b.name}
          rows={total ? b.pick(total) : []}
          loading={result.loading}
          error={result.error}
          ready={!!result.data}
          variables={variables}
        />
      ))}
      <ContactsByUnit {...props} />
    </>
  );
}

function BreakdownChart({
  title,
  name,
  rows,
  loading,
  error,
  ready,
  variables,
}: {
  title: string;
  name: string;
  rows: Breakdown[];
  loading: boolean;
  error: unknown;
  ready: boolean;
  variables: object;
}): ReactElement {
  const csv: CsvTable | null = ready
    ? { header: ['key', 'contacts', 'reached', 'reachPercent'], rows: rows.map((r) => [r.key, r.contacts, r.reached, r.reachPercent]) }
    : null;
  const data = rows.map((r) => ({ label: keyWords(r.key), contacts: r.contacts, reached: r.reached }));
  return (
    <ChartCard
      title={title}
      subtitle="Contacts made in the period and how many reached the customer"
      name={name}
      csv={csv}
      query={ANALYTICS_CONTACTS}
      variables={variables}
    >
      <ChartBody error={error} loading={loading} empty={rows.length === 0} emptyText="No contacts in the period.">
        <ResponsiveContainer width="100%" height={Math.max(150, 30 * rows.length + 60)}>
          <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" stroke="var(--text-muted)" fontSize={12} allowDecimals={false} />
            <YAxis type="category" dataKey="label" stroke="var(--text-muted)" fontSize={12} width={130} interval={0} />
            <Tooltip formatter={tooltipNumber} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            <Bar dataKey="contacts" name="Contacts" fill="#2563eb" maxBarSize={28} isAnimationActive={false} />
            <Bar dataKey="reached" name="Reached" fill="#16a34a" maxBarSize={28} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </ChartBody>
    </ChartCard>
  );
}

function ContactsByUnit({ filter, groupBy: chosen }: TabProps): ReactElement {
  const { groupBy, note } = groupingFor(chosen, CONTACT_GROUPINGS, 'SPECIALIST');
  const variables = { filter, groupBy };
  const result = useQuery(ANALYTICS_CONTACTS, { variables });
  const report = result.data?.analyticsContacts;
  const rows = report?.rows ?? [];
  const csv: CsvTable | null = report
    ? {
        header: ['groupKey', 'group', 'contacts', 'reached', 'reachPercent', 'promisesObtained', 'contactsPerPromise'],
        rows: rows.map((r) => [r.group.key, r.group.label, r.contacts, r.reached, r.reachPercent, r.promisesObtained, r.contactsPerPromise]),
      }
    : null;
  const title = 'Contacts by unit';
  return (
    <ChartCard
      title={title}
      subtitle={`Per ${groupingLabel(groupBy)}${
        groupBy === 'SPECIALIST' ? ' (the contact’s author, else the partner’s specialist; “No author”: neither)' : ''
      }: reach rate and contacts per promise obtained${note ? ` (${note})` : ''}`}
      name="contacts-by-unit"
      csv={csv}
      query={ANALYTICS_CONTACTS}
      variables={variables}
    >
      <ChartBody error={result.error} loading={result.loading} empty={rows.length === 0} emptyText="No contacts in the period.">
        <FigureTable
          label={title}
          rows={rows}
          rowKey={(r) => r.group.key ?? 'none'}
          columns={[
            {
              header: groupingLabel(groupBy).replace(/^./, (c) => c.toUpperCase()),
              cell: (r) => <GroupName group={r.group} none={groupBy === 'SPECIALIST' ? 'No author' : 'None'} />,
            },
            { header: 'Contacts', num: true, cell: (r) => r.contacts.toLocaleString() },
            { header: 'Reached', num: true, cell: (r) => r.reached.toLocaleString() },
            { header: 'Reach rate', num: true, cell: (r) => figureText(r.reachPercent, '%') },
            { header: 'Promises obtained', num: true, cell: (r) => r.promisesObtained.toLocaleString() },
            { header: 'Contacts per promise', num: true, cell: (r) => figureText(r.contactsPerPromise) },
          ]}
        />
      </ChartBody>
    </ChartCard>
  );
}
