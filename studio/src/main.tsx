import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApolloProvider } from '@apollo/client/react';
import { createApiClient } from './lib/api';
import { App } from './App';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element to render the studio into.');

createRoot(root).render(
  <StrictMode>
    <ApolloProvider client={createApiClient()}>
      <App />
    </ApolloProvider>
  </StrictMode>,
);
