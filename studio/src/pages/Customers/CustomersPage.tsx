import { useState, type FormEvent, type ReactElement } from 'react';
import { useNavigate } from 'react-router';
import { customerByExternalIdPath } from '../../lib/paths';
import '../../components/work.css';
import './customers.css';

/** /customers: find a partner by its id in the source system (its 360 is /customers/ext:ID). */
export function CustomersPage(): ReactElement {
  const navigate = useNavigate();
  const [value, setValue] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) void navigate(customerByExternalIdPath(value.trim()));
  };
  return (
    <main className="main work-main">
      <header className="page-header">
        <div>
          <h1>Customers</h1>
          <p className="subtitle">Everything about one customer: open items, payments, promises, disputes, contacts and why they are on the list.</p>
        </div>
      </header>
      <form className="card work-search" onSubmit={submit}>
        <label className="work-field">
          Partner (external id)
          <input value={value} onChange={(e) => setValue(e.target.value)} placeholder="e.g. P000123" autoFocus />
        </label>
        <button type="submit" className="button button-primary">
          Open
        </button>
        <p className="muted">Or open a partner from a worklist.</p>
      </form>
    </main>
  );
}
