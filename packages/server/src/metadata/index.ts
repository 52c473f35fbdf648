/** The public entry of metadata/: what other features and the composition root may use. */
export { MetadataResolver } from './metadata.resolver';
