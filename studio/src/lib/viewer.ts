import { useQuery } from '@apollo/client/react';
import { graphql } from '../gql';

/** The caller (the token in use): how the studio tells a specialist from a supervisor. */
const ME_QUERY = graphql(`
  query StudioMe {
    me {
      role
      specialistId
      specialistName
    }
  }
`);

export interface Viewer {
  loading: boolean;
  /** ADMIN, CONFIGURATOR, SUPERVISOR, SPECIALIST or CLIENT; null until known. */
  role: string | null;
  /** A SPECIALIST token: reads only their own list and partners. */
  specialist: boolean;
  /** The specialist a SPECIALIST token belongs to. */
  self: { id: string; name: string } | null;
}

/** Who signed in (the `me` query, read once per sign-in). */
export function useViewer(): Viewer {
  const me = useQuery(ME_QUERY, { fetchPolicy: 'cache-first' });
  const viewer = me.data?.me;
  return {
    loading: me.loading,
    role: viewer?.role ?? null,
    specialist: viewer?.role === 'SPECIALIST',
    self: viewer?.specialistId ? { id: viewer.specialistId, name: viewer.specialistName ?? 'me' } : null,
  };
}
