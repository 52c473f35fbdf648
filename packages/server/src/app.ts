import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Database } from './db/database';
import { createRequestContext, type RequestContext } from './graphql/context';
import { formatError } from './graphql/errors';
import { recoupSchema } from './graphql/schema';

export const STUDIO_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../studio/dist');

export interface AppOptions {
  production?: boolean;
  studioDir?: string;
}

export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** The API (/graphql, /health) and the studio's built files on one port. */
export async function startApp(db: Database, port: number, options: AppOptions = {}): Promise<RunningApp> {
  const production = options.production ?? process.env.NODE_ENV === 'production';
  const apollo = new ApolloServer<RequestContext>({
    schema: await recoupSchema(),
    introspection: true,
    // The process owns shutdown (main.ts closes HTTP, then the database).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !production,
    formatError: (formatted, error) => formatError(formatted, error, production),
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', async (_req, res) => {
    try {
      await db.dataSource.query('SELECT 1');
      res.json({ status: 'ok', database: db.kind });
    } catch {
      res.status(503).json({ status: 'unavailable', database: db.kind });
    }
  });
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, { context: async () => createRequestContext(db) }),
  );
  const studioDir = options.studioDir ?? STUDIO_DIST;
  if (existsSync(studioDir)) {
    app.use(express.static(studioDir));
    // Client-side routes of the studio fall back to its index page.
    app.get(/^\/(?!graphql|health).*/, (_req, res) => res.sendFile(path.join(studioDir, 'index.html')));
  }

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, '0.0.0.0', () => resolve(s)).once('error', reject);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://localhost:${actualPort}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Idle keep-alive sockets would otherwise hold the close open.
        server.closeAllConnections();
      });
      await apollo.stop();
    },
  };
}
