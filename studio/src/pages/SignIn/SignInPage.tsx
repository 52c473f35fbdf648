import { useState, type FormEvent, type ReactElement } from 'react';
import { signIn } from '../../lib/session';

/** Asks for an API token: the API answers nothing without one. */
export function SignInPage({ reason, onSignedIn }: { reason?: string; onSignedIn: () => void }): ReactElement {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!token.trim()) return;
    signIn(token);
    onSignedIn();
  };
  return (
    <main className="signin">
      <form className="card signin-card" onSubmit={submit}>
        <h1>Sign in to Recoup</h1>
        <p className="muted">
          The studio talks to the API with an API token. <code>npm start</code> prints a sign-in link with a fresh token the first time it seeds the demo;
          otherwise create one with <code>pnpm recoup token create --name you --role ADMIN</code>.
        </p>
        {reason && (
          <p className="signin-reason" role="alert">
            {reason}
          </p>
        )}
        <label htmlFor="token">API token</label>
        <input
          id="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="rcp_…"
          autoFocus
        />
        <button type="submit" className="button button-primary" disabled={!token.trim()}>
          Sign in
        </button>
      </form>
    </main>
  );
}
