import { StrictMode, useEffect, useMemo, useState, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import { ApolloProvider } from '@apollo/client/react';
import { createApiClient } from './lib/api';
import { currentToken, onSignedOut } from './lib/session';
import { App } from './App';
import { SignIn } from './components/SignIn';
import './styles.css';

function Root(): ReactElement {
  const [session, setSession] = useState(() => ({ token: currentToken(), reason: undefined as string | undefined }));
  useEffect(() => onSignedOut((reason) => setSession({ token: null, reason })), []);
  // A new client per sign-in: nothing cached under one token is shown under another.
  const client = useMemo(() => createApiClient(), [session.token]);
  if (!session.token) return <SignIn reason={session.reason} onSignedIn={() => setSession({ token: currentToken(), reason: undefined })} />;
  return (
    <ApolloProvider client={client}>
      <App />
    </ApolloProvider>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element to render the studio into.');

createRoot(root).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
