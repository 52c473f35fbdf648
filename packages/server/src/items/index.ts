/** The public entry of items/: what other features and the composition root may use. */
export { ItemLinkedRecord } from './item-linked-record';
export { OpenItem } from './open-item.entity';
