/** The public entry of auth/: API tokens (create, list, revoke) and the bearer check of every request. */
export { authenticate, createApiToken, listApiTokens, revokeApiToken } from './auth.service';
