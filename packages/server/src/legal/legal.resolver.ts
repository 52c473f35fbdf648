import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../graphql/context';
import { addLegalCostApi, changeLegalCaseApi, legalCase, legalCases, openLegalCaseApi } from './legal-api.service';
import { ChangeLegalCaseInput, LegalCaseView, LegalCostInput, OpenLegalCaseInput } from './legal.types';

@Resolver()
export class LegalResolver {
  @Query(() => LegalCaseView, { nullable: true, description: 'One legal case; null when unknown.' })
  legalCase(@Ctx() ctx: RequestContext, @Arg('id', () => ID, { description: 'Identifier of the case.' }) id: string) {
    return legalCase(ctx, id);
  }

  @Query(() => [LegalCaseView], { description: 'Legal cases (of a partner, of a status), newest first, at most 500.' })
  legalCases(
    @Ctx() ctx: RequestContext,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Only this partner’s cases.' }) partnerId?: string | null,
    @Arg('status', () => String, { nullable: true, description: 'Only cases in this status.' }) status?: string | null,
  ) {
    return legalCases(ctx, { partnerId, status });
  }

  @Mutation(() => LegalCaseView, {
    description: "Opens a legal case (PREPARED) on a partner's items: they leave the worklist, dunning and placement; audited.",
  })
  openLegalCase(@Ctx() ctx: RequestContext, @Arg('input', () => OpenLegalCaseInput, { description: 'The partner and the items.' }) input: OpenLegalCaseInput) {
    return openLegalCaseApi(ctx, input);
  }

  @Mutation(() => LegalCaseView, {
    description: 'Moves a legal case on (PREPARED → FILED → JUDGMENT → ENFORCEMENT; CLOSED with an outcome from any, releasing its items); audited.',
  })
  changeLegalCase(@Ctx() ctx: RequestContext, @Arg('input', () => ChangeLegalCaseInput, { description: 'The change.' }) input: ChangeLegalCaseInput) {
    return changeLegalCaseApi(ctx, input);
  }

  @Mutation(() => LegalCaseView, { description: 'Records a cost of an open legal case as a charge on it; audited.' })
  addLegalCost(@Ctx() ctx: RequestContext, @Arg('input', () => LegalCostInput, { description: 'The cost.' }) input: LegalCostInput) {
    return addLegalCostApi(ctx, input);
  }
}
