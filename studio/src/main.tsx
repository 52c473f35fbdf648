import { StrictMode, useEffect, useState, type ReactElement } from 'react';
import { createRoot } from 'react-dom/client';
import type { ApolloClient } from '@apollo/client';
import { ApolloProvider } from '@apollo/client/react';
import { RouterProvider } from 'react-router';
import { createApiClient } from './lib/api';
import { currentToken, onSignedOut } from './lib/session';
import { studioRouter } from './router';
import { SignInPage } from './pages/SignIn/SignInPage';
import './styles.css';

interface Session {
  /** An Apollo client per sign-in: nothing cached under one token is shown under another. */
  client: ApolloClient | null;
  /** Why the studio signed out (the API refused the token), for the sign-in page. */
  reason?: string;
}

function signedIn(): Session {
  return { client: currentToken() ? createApiClient() : null };
}

function Root(): ReactElement {
  // Reads (and takes out of the address bar) a sign-in link's token before the router starts.
  const [session, setSession] = useState(signedIn);
  useEffect(() => onSignedOut((reason) => setSession({ client: null, reason })), []);
  if (!session.client) return <SignInPage reason={session.reason} onSignedIn={() => setSession(signedIn())} />;
  return (
    <ApolloProvider client={session.client}>
      <RouterProvider router={studioRouter()} />
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
