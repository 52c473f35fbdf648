/** The public entry of payment-plans/: what other features and the composition root may use. */
export { PaymentPlan, PaymentPlanInstallment, PaymentPlanItem } from './payment-plan.entity';
export { PaymentPlanResolver } from './payment-plan.resolver';
