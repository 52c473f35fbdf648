/** The public entry of customers/: what other features and the composition root may use. */
export { CollectionEventResolver, CreditDataResolver, CustomerResolver } from './customer.resolver';
