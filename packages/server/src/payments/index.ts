/** The public entry of payments/: what other features and the composition root may use. */
export { Payment } from './payment.entity';
export { PaymentResolver } from './payment.resolver';
export { recordPayment } from './payment.service';
export type { PaymentInput } from './payment.service';
