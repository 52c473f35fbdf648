import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { partnerView } from '../worklists';
import { Partner, WorklistItem } from '../worklists';
import {
  aging, contacts, createCustomerPromise, credit, customer, disputes, dunningHistory, keyFigures, liveWorklistItem, openCustomerDispute, openItems,
  payments, promises, recordCustomerContact, resubmissions, scheduleCustomerResubmission,
} from './customer.service';
import {
  AgingBucket, Contact, ContactInput, ContactRecorded, CreditData, Customer, CustomerKeyFigures, Dispute, DisputeInput, DisputeOpened, DunningEntry,
  OpenItemConnection, Payment, PromiseCreated, PromiseInput, PromiseToPay, Resubmission, ResubmissionInput, ResubmissionScheduled,
} from './customer.types';

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { description: 'Customer 360 of a partner (by id or external id) at a key date (default today); a SPECIALIST sees only their own partners.' })
  customer(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { nullable: true }) partnerId?: string,
    @Arg('externalId', () => String, { nullable: true }) externalId?: string,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string,
  ): Promise<Customer> {
    return customer(ctx, { partnerId, externalId, asOf });
  }

  @FieldResolver(() => Partner)
  async partner(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<Partner> {
    return partnerView((await ctx.loaders.partner.load(c.partnerId))!);
  }

  @FieldResolver(() => OpenItemConnection, { description: 'Open items, oldest due date first.' })
  openItems(
    @Root() c: Customer, @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ): Promise<OpenItemConnection> {
    return openItems(ctx, c, first, after);
  }

  @FieldResolver(() => [AgingBucket], { description: "Ageing by the limits of the live run's strategy (default 0, 30, 60, 90 days)." })
  aging(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<AgingBucket[]> {
    return aging(ctx, c);
  }

  @FieldResolver(() => [Payment], { description: 'Payments up to the key date, latest first.' })
  payments(@Root() c: Customer, @Ctx() ctx: RequestContext, @Arg('limit', () => Int, { nullable: true, defaultValue: 100 }) limit?: number): Promise<Payment[]> {
    return payments(ctx, c, limit);
  }

  @FieldResolver(() => [PromiseToPay], { description: 'Promises made up to the key date with their status at it, latest promised date first.' })
  promises(@Root() c: Customer, @Ctx() ctx: RequestContext, @Arg('limit', () => Int, { nullable: true, defaultValue: 100 }) limit?: number): Promise<PromiseToPay[]> {
    return promises(ctx, c, limit);
  }

  @FieldResolver(() => [Dispute], { description: 'Disputes opened up to the key date, latest first.' })
  disputes(@Root() c: Customer, @Ctx() ctx: RequestContext, @Arg('limit', () => Int, { nullable: true, defaultValue: 100 }) limit?: number): Promise<Dispute[]> {
    return disputes(ctx, c, limit);
  }

  @FieldResolver(() => [Contact], { description: 'Contacts up to the key date, latest first.' })
  contacts(@Root() c: Customer, @Ctx() ctx: RequestContext, @Arg('limit', () => Int, { nullable: true, defaultValue: 100 }) limit?: number): Promise<Contact[]> {
    return contacts(ctx, c, limit);
  }

  @FieldResolver(() => [Resubmission], { description: 'Resubmissions, latest date first (done ones too).' })
  resubmissions(@Root() c: Customer, @Ctx() ctx: RequestContext, @Arg('limit', () => Int, { nullable: true, defaultValue: 100 }) limit?: number): Promise<Resubmission[]> {
    return resubmissions(ctx, c, limit);
  }

  @FieldResolver(() => [DunningEntry], { description: "Open items' dunning levels and blocks (until dunning runs are recorded)." })
  dunningHistory(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<DunningEntry[]> {
    return dunningHistory(ctx, c);
  }

  @FieldResolver(() => WorklistItem, { nullable: true, description: "The partner's item on its segment's live worklist (ask for its explanation there)." })
  worklistItem(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<WorklistItem | null> {
    return liveWorklistItem(ctx, c);
  }

  @FieldResolver(() => CreditData)
  credit(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<CreditData> {
    return credit(ctx, c);
  }

  @FieldResolver(() => CustomerKeyFigures)
  keyFigures(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<CustomerKeyFigures> {
    return keyFigures(ctx, c);
  }
}

/** Collection events: each written with the partner's re-valuation in one transaction; SPECIALIST (own partners), SUPERVISOR, ADMIN. */
@Resolver()
export class CollectionEventResolver {
  @Mutation(() => ContactRecorded)
  recordContact(@Ctx() ctx: RequestContext, @Arg('input', () => ContactInput) input: ContactInput): Promise<ContactRecorded> {
    return recordCustomerContact(ctx, input);
  }

  @Mutation(() => PromiseCreated)
  createPromise(@Ctx() ctx: RequestContext, @Arg('input', () => PromiseInput) input: PromiseInput): Promise<PromiseCreated> {
    return createCustomerPromise(ctx, input);
  }

  @Mutation(() => DisputeOpened)
  openDispute(@Ctx() ctx: RequestContext, @Arg('input', () => DisputeInput) input: DisputeInput): Promise<DisputeOpened> {
    return openCustomerDispute(ctx, input);
  }

  @Mutation(() => ResubmissionScheduled)
  scheduleResubmission(@Ctx() ctx: RequestContext, @Arg('input', () => ResubmissionInput) input: ResubmissionInput): Promise<ResubmissionScheduled> {
    return scheduleCustomerResubmission(ctx, input);
  }
}
