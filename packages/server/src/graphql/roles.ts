/** Who may do what (issue 5): one role per API token. */
export const ROLES = ['ADMIN', 'CONFIGURATOR', 'SUPERVISOR', 'SPECIALIST', 'CLIENT', 'AGENCY'] as const;
export type Role = (typeof ROLES)[number];

/** The caller of a request, from its bearer token; a SPECIALIST token belongs to one specialist. */
export interface AuthUser {
  tokenId: string;
  name: string;
  role: Role;
  specialistId: string | null;
  /** An AGENCY token acts for one collection agency (its key); null or absent for every other role. */
  agencyKey?: string | null;
}
