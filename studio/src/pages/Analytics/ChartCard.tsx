import { useState, type ReactElement, type ReactNode } from 'react';
import { print, type DocumentNode } from 'graphql';
import { downloadCsv, type CsvTable } from './csv';

interface Props {
  title: string;
  subtitle?: ReactNode;
  /** File name of the CSV export, without extension. */
  name: string;
  /** Exactly the rows the chart draws. */
  csv: CsvTable | null;
  query: DocumentNode;
  variables: object;
  children: ReactNode;
}

/** A chart's card: its title, a CSV export of its data and the GraphQL query that fetched it. */
export function ChartCard({ title, subtitle, name, csv, query, variables, children }: Props): ReactElement {
  const [showQuery, setShowQuery] = useState(false);
  const [copied, setCopied] = useState(false);
  const text = `${print(query)}\n\n# variables\n${JSON.stringify(variables, null, 2)}`;
  return (
    <section className="card analytics-card" aria-label={title}>
      <div className="card-header analytics-card-header">
        <div>
          <h2>{title}</h2>
          {subtitle && <p className="muted">{subtitle}</p>}
        </div>
        <div className="analytics-card-actions">
          <button type="button" className="button" disabled={!csv} onClick={() => csv && downloadCsv(`${name}.csv`, csv)} aria-label={`CSV of ${title}`}>
            CSV
          </button>
          <button type="button" className="button" aria-expanded={showQuery} onClick={() => setShowQuery((s) => !s)} aria-label={`GraphQL of ${title}`}>
            GraphQL
          </button>
        </div>
      </div>
      {showQuery && (
        <div className="analytics-query">
          <pre aria-label={`Query of ${title}`}>{text}</pre>
          <button
            type="button"
            className="button"
            onClick={() => {
              void navigator.clipboard?.writeText(JSON.stringify({ query: print(query), variables })).then(() => setCopied(true));
            }}
          >
            {copied ? 'Copied' : 'Copy as request body'}
          </button>
        </div>
      )}
      <div className="analytics-card-body">{children}</div>
    </section>
  );
}
