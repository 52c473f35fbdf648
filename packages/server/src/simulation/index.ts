/** The public entry of simulation/: what other features and the composition root may use. */
export { CompareResolver, PartnerMoveResolver, PreviewResolver } from './preview.resolver';
