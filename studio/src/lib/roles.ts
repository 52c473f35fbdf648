/**
 * The role lists of the API's access table (packages/server/src/graphql/access.ts), so the studio
 * hides what a role may not call instead of letting the server refuse it.
 */
export const COLLECTORS: readonly string[] = ['ADMIN', 'SUPERVISOR', 'SPECIALIST'];
export const CONFIGURATORS: readonly string[] = ['ADMIN', 'CONFIGURATOR'];
export const SUPERVISORS: readonly string[] = ['ADMIN', 'SUPERVISOR'];
/** Who previews, compares and backtests strategies. */
export const ANALYSTS: readonly string[] = ['ADMIN', 'CONFIGURATOR', 'SUPERVISOR'];

/** Whether the signed-in role (null while unknown) may call an operation of that list. */
export function mayCall(role: string | null, roles: readonly string[]): boolean {
  return role !== null && roles.includes(role);
}
