import { useState, type FormEvent, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../../gql';
import { errorMessage } from '../../lib/errors';
import { customerPath } from '../../lib/paths';
import { useSearchParam } from '../../lib/searchParams';
import '../../components/work.css';
import './customers.css';
import { appendPage } from '../../lib/paging';

const PARTNER_SEARCH_QUERY = graphql(`
  query PartnerSearch($text: String!, $after: String) {
    partnerSearch(text: $text, first: 20, after: $after) {
      edges {
        cursor
        node {
          id
          externalId
          name
          segment
          email
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** /customers?q=TEXT: find partners by part of their name or external id, or the start of their e-mail; open one's 360. */
export function CustomersPage(): ReactElement {
  const [q, setQ] = useSearchParam('q');
  return (
    <main className="main work-main">
      <header className="page-header">
        <div>
          <h1>Customers</h1>
          <p className="subtitle">Everything about one customer: open items, payments, promises, disputes, contacts and why they are on the list.</p>
        </div>
      </header>
      {/* Keyed by ?q= so Back/Forward put the searched text back into the field. */}
      <SearchForm key={q ?? ''} initial={q ?? ''} onSearch={setQ} />
      {q && <SearchResults text={q} />}
    </main>
  );
}

function SearchForm({ initial, onSearch }: { initial: string; onSearch: (text: string | null) => void }): ReactElement {
  const [value, setValue] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(value.trim() || null);
  };
  return (
    <form className="card work-search" onSubmit={submit} role="search">
      <label className="work-field">
        Find a partner
        <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="Name, external id or e-mail" maxLength={100} autoFocus />
      </label>
      <button type="submit" className="button button-primary">
        Search
      </button>
      <p className="muted">Any part of a name or external id, the start of an e-mail; or open a partner from a worklist.</p>
    </form>
  );
}

function SearchResults({ text }: { text: string }): ReactElement {
  const { data, error, loading, fetchMore } = useQuery(PARTNER_SEARCH_QUERY, { variables: { text }, notifyOnNetworkStatusChange: true });
  const [loadingMore, setLoadingMore] = useState(false);
  if (error)
    return (
      <p className="card work-error customer-results" role="alert">
        {errorMessage(error)}
      </p>
    );
  if (!data) return <p className="card muted customer-results">Searching…</p>;
  const { edges, pageInfo } = data.partnerSearch;
  const loadMore = async () => {
    setLoadingMore(true);
    try {
      await fetchMore({
        variables: { text, after: pageInfo.endCursor },
        updateQuery: appendPage('partnerSearch'),
      });
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <section className="card table-card customer-results" aria-label="Partners found" aria-busy={loading}>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>Partner</th>
              <th>External id</th>
              <th>Segment</th>
              <th>E-mail</th>
            </tr>
          </thead>
          <tbody>
            {edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <Link className="work-link" to={customerPath(node.id)}>
                    {node.name}
                  </Link>
                </td>
                <td>{node.externalId}</td>
                <td>{node.segment}</td>
                <td>{node.email ?? '—'}</td>
              </tr>
            ))}
            {edges.length === 0 && (
              <tr>
                <td colSpan={4} className="empty">
                  No partner’s name or external id contains “{text}”, and no e-mail starts with it.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {pageInfo.hasNextPage && (
        <div className="table-foot">
          <button type="button" className="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : `Show more (${edges.length} shown)`}
          </button>
        </div>
      )}
    </section>
  );
}
