import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { currentPlacementOf, PlacementView } from '../agencies';
import { createContact } from '../contacts';
import { legalCases, LegalCaseView } from '../legal';
import { openDispute } from '../disputes';
import type { RequestContext } from '../graphql/context';
import { DateScalar } from '../graphql/scalars';
import { createPromises } from '../promises';
import { ResubmissionSummary } from '../resubmissions';
import { Partner, WorklistItem } from '../worklists';
import {
  aging,
  contacts,
  credit,
  customer,
  disputes,
  dunningHistory,
  heldItems,
  keyFigures,
  liveWorklistItem,
  openItems,
  partner,
  payments,
  promises,
  resubmissions,
} from './customer.service';
import {
  AgingBucket,
  Contact,
  ContactInput,
  ContactRecorded,
  CreditData,
  Customer,
  CustomerKeyFigures,
  Dispute,
  DisputeInput,
  DisputeOpened,
  DunningEntry,
  HeldItems,
  OpenItemConnection,
  Payment,
  PromiseCreated,
  PromiseInput,
  PromiseToPay,
} from './customer.types';

const LIMIT = 'At most this many, latest first: 0 to 1000 (default 100).';

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, {
    description: 'Customer 360 of a partner (by id or external id) at a key date (default today); a SPECIALIST sees only their own partners.',
  })
  customer(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { nullable: true, description: 'The partner; give this or externalId.' }) partnerId?: string,
    @Arg('externalId', () => String, { nullable: true, description: "The partner's id in the source system, when partnerId is not given." })
    externalId?: string,
    @Arg('asOf', () => DateScalar, { nullable: true, description: 'Key date of every section; default today.' }) asOf?: string,
  ): Promise<Customer> {
    return customer(ctx, { partnerId, externalId, asOf });
  }

  @FieldResolver(() => Partner, { description: 'The partner master data (name, segment, currency, credit limit, specialist).' })
  partner(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<Partner> {
    return partner(ctx, c);
  }

  @FieldResolver(() => OpenItemConnection, { description: 'Open items, oldest due date first.' })
  openItems(
    @Root() c: Customer,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50, description: 'Page size, 0 to 500 (default 50).' }) first?: number,
    @Arg('after', () => String, { nullable: true, description: 'The `endCursor` of the previous page; absent: the first page.' }) after?: string,
  ): Promise<OpenItemConnection> {
    return openItems(ctx, c, first, after);
  }

  @FieldResolver(() => [AgingBucket], {
    description: "Ageing by the limits of the live run's strategy (default 0, 30, 60, 90 days); the items held at the key date apart in each bucket.",
  })
  aging(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<AgingBucket[]> {
    return aging(ctx, c);
  }

  @FieldResolver(() => [Payment], { description: 'Payments up to the key date, latest first.' })
  payments(
    @Root() c: Customer,
    @Ctx() ctx: RequestContext,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100, description: LIMIT }) limit?: number,
  ): Promise<Payment[]> {
    return payments(ctx, c, limit);
  }

  @FieldResolver(() => [PromiseToPay], { description: 'Promises made up to the key date with their status at it, latest promised date first.' })
  promises(
    @Root() c: Customer,
    @Ctx() ctx: RequestContext,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100, description: LIMIT }) limit?: number,
  ): Promise<PromiseToPay[]> {
    return promises(ctx, c, limit);
  }

  @FieldResolver(() => [Dispute], { description: 'Disputes opened up to the key date, latest first.' })
  disputes(
    @Root() c: Customer,
    @Ctx() ctx: RequestContext,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100, description: LIMIT }) limit?: number,
  ): Promise<Dispute[]> {
    return disputes(ctx, c, limit);
  }

  @FieldResolver(() => [Contact], { description: 'Contacts up to the key date, latest first.' })
  contacts(
    @Root() c: Customer,
    @Ctx() ctx: RequestContext,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100, description: LIMIT }) limit?: number,
  ): Promise<Contact[]> {
    return contacts(ctx, c, limit);
  }

  @FieldResolver(() => [ResubmissionSummary], { description: 'Resubmissions, latest date first (done ones too).' })
  resubmissions(
    @Root() c: Customer,
    @Ctx() ctx: RequestContext,
    @Arg('limit', () => Int, { nullable: true, defaultValue: 100, description: LIMIT }) limit?: number,
  ): Promise<ResubmissionSummary[]> {
    return resubmissions(ctx, c, limit);
  }

  @FieldResolver(() => [DunningEntry], { description: "Open items' dunning levels and blocks (until dunning runs are recorded)." })
  dunningHistory(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<DunningEntry[]> {
    return dunningHistory(ctx, c);
  }

  @FieldResolver(() => PlacementView, {
    nullable: true,
    description: 'The placement with a collection agency the partner is in now (agency, date, items); null when not placed.',
  })
  placement(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<PlacementView | null> {
    return currentPlacementOf(ctx, c.partnerId);
  }

  @FieldResolver(() => [LegalCaseView], { description: "The partner's legal cases, newest first." })
  legalCases(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<LegalCaseView[]> {
    return legalCases(ctx, { partnerId: c.partnerId });
  }

  @FieldResolver(() => WorklistItem, { nullable: true, description: "The partner's item on its segment's live worklist (ask for its explanation there)." })
  worklistItem(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<WorklistItem | null> {
    return liveWorklistItem(ctx, c);
  }

  @FieldResolver(() => CreditData, {
    description: 'Credit limit, risk class, open and overdue amounts and utilisation at the key date, in the partner currency.',
  })
  credit(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<CreditData> {
    return credit(ctx, c);
  }

  @FieldResolver(() => CustomerKeyFigures, {
    description: 'DSO, kept-promise ratio, broken promises, days overdue and since the last payment and contact, at the key date.',
  })
  keyFigures(@Root() c: Customer, @Ctx() ctx: RequestContext): Promise<CustomerKeyFigures> {
    return keyFigures(ctx, c);
  }
}

/**
 * The customer 360's first, short mutations, kept one release for their clients: each is a thin
 * mapping onto the feature's own mutation service, its answer in the 360's shapes.
 */
@Resolver()
export class CollectionEventResolver {
  @Mutation(() => ContactRecorded, {
    deprecationReason: 'Use createContact: the same contact, with contact person, note and links, and whether it completed the worklist item.',
    description: 'Records a contact authored by the caller and re-valuates the partner (as createContact; a completing result completes the live item).',
  })
  async recordContact(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ContactInput, { description: 'The contact and the partner it was with.' }) input: ContactInput,
  ): Promise<ContactRecorded> {
    const { contact, worklistItem } = await createContact(ctx, input);
    return {
      contact: {
        id: contact.id,
        externalId: contact.externalId,
        contactDate: contact.contactDate,
        contactTime: contact.contactTime,
        channel: contact.channel,
        direction: contact.direction,
        reached: contact.reached,
        result: contact.result,
      },
      worklistItem,
    };
  }

  @Mutation(() => PromiseCreated, {
    deprecationReason: 'Use createPromises: itemIds [itemId] (or none) makes the same single promise.',
    description: 'A promise on one item or on the partner as a whole, with its status at its creation date (as createPromises with one item).',
  })
  async createPromise(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => PromiseInput, { description: 'The partner, the item, the amount and the promised date.' }) input: PromiseInput,
  ): Promise<PromiseCreated> {
    const created = await createPromises(
      ctx,
      {
        partnerId: input.partnerId,
        itemIds: input.itemId ? [input.itemId] : [],
        createdDate: input.createdDate,
        promisedDate: input.promisedDate,
        amount: input.amount,
        currency: input.currency,
      },
      'itemId',
    );
    const p = created.promises[0]!;
    return {
      promise: {
        id: p.id,
        externalId: p.externalId,
        itemId: p.itemId,
        createdDate: p.createdDate,
        promisedDate: p.promisedDate,
        amount: p.amount,
        currency: p.currency,
        cancelled: p.cancelled,
        toleranceDays: p.toleranceDays,
        paid: p.paid,
        status: p.status,
      },
      worklistItem: created.worklistItem,
    };
  }

  @Mutation(() => DisputeOpened, {
    deprecationReason: 'Use openDisputes: one dispute per item named, a reason required, at most the open amount, one open dispute per item.',
    description:
      'Opens one dispute, on an item or on the partner as a whole, and re-valuates the partner; unlike openDisputes it checks neither the open amount nor a dispute already open.',
  })
  async openDispute(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => DisputeInput, { description: 'The partner, the item, the amount and why.' }) input: DisputeInput,
  ): Promise<DisputeOpened> {
    const { dispute: d, worklistItem } = await openDispute(ctx, input);
    return {
      dispute: {
        id: d.id,
        externalId: d.externalId,
        itemId: d.itemId,
        createdDate: d.createdDate,
        disputedAmount: d.disputedAmount,
        currency: d.currency,
        status: d.status,
        reason: d.reason,
      },
      worklistItem,
    };
  }
}

@Resolver(() => CreditData)
export class CreditDataResolver {
  @FieldResolver(() => HeldItems, {
    description: 'The open items left out of openAmount at the key date because they are held (placed with a collection agency, in a legal case).',
  })
  held(@Root() credit: CreditData, @Ctx() ctx: RequestContext): Promise<HeldItems> {
    return heldItems(ctx, credit.customer);
  }
}
