/** The public entry of health/: what other features and the composition root may use. */
export { HealthResolver } from './health.resolver';
