import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { PageInfo } from '../worklists/worklist.types';

@ObjectType()
export class DunningLevelEntry {
  @Field(() => Int) level!: number;
  @Field(() => Int, { description: 'Days after the due date (negative: a reminder before it).' }) daysOverdue!: number;
  @Field(() => DecimalScalar, { description: "In the procedure's currency." }) charge!: string;
  @Field(() => String, { description: 'LETTER, EMAIL or SMS.' }) channel!: string;
  @Field(() => String) templateKey!: string;
  @Field(() => Boolean, { description: 'Legal dunning: skipped for excluded items and partners.' }) legal!: boolean;
}

@ObjectType()
export class DunningProcedureEntry {
  @Field(() => String) key!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'null: the default procedure.' }) segmentKey!: string | null;
  @Field(() => Int) graceDays!: number;
  @Field(() => String) currency!: string;
  @Field(() => Boolean) active!: boolean;
  @Field(() => [DunningLevelEntry]) levels!: DunningLevelEntry[];
}

@ObjectType()
export class DunningTemplateEntry {
  @Field(() => String) key!: string;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => String) body!: string;
}

@ObjectType()
export class DunningExclusionEntry {
  @Field(() => ID) id!: string;
  @Field(() => ID) partnerId!: string;
  @Field(() => ID, { nullable: true }) itemId!: string | null;
  @Field(() => String, { description: 'BLOCK or LEGAL.' }) kind!: string;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String, { nullable: true }) createdBy!: string | null;
}

@ObjectType()
export class DunningNoticeItemEntry {
  @Field(() => ID) itemId!: string;
  @Field(() => String) externalId!: string;
  @Field(() => Int) previousLevel!: number;
  @Field(() => Int) level!: number;
  @Field(() => Int) daysOverdue!: number;
  @Field(() => DecimalScalar) openAmount!: string;
}

@ObjectType({ description: 'A rendered notice of the outbox.' })
export class DunningNoticeEntry {
  @Field(() => ID, { nullable: true, description: 'null in a dry run.' }) id!: string | null;
  @Field(() => ID, { nullable: true }) runId!: string | null;
  @Field(() => ID) partnerId!: string;
  @Field(() => Int) level!: number;
  @Field(() => String) channel!: string;
  @Field(() => String, { nullable: true }) recipient!: string | null;
  @Field(() => String) currency!: string;
  @Field(() => DecimalScalar) totalAmount!: string;
  @Field(() => DecimalScalar) charge!: string;
  @Field(() => String) chargeCurrency!: string;
  @Field(() => String, { nullable: true }) subject!: string | null;
  @Field(() => String) body!: string;
  @Field(() => String, { description: 'PENDING, SENT or FAILED (DRY_RUN in a dry run).' }) status!: string;
  @Field(() => String, { nullable: true }) error!: string | null;
  @Field(() => [ID]) itemIds!: string[];
}

@ObjectType()
export class DunningNoticeEdge {
  @Field(() => String) cursor!: string;
  @Field(() => DunningNoticeEntry) node!: DunningNoticeEntry;
}

@ObjectType()
export class DunningNoticeConnection {
  @Field(() => [DunningNoticeEdge]) edges!: DunningNoticeEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class DunningLevelFigure {
  @Field(() => Int) level!: number;
  @Field(() => Int) notices!: number;
  @Field(() => Int) items!: number;
}

@ObjectType()
export class DunningRunReport {
  @Field(() => ID, { nullable: true, description: 'null for a dry run (nothing written).' }) runId!: string | null;
  @Field(() => DateScalar) asOf!: string;
  @Field(() => Boolean) dryRun!: boolean;
  @Field(() => Int) partners!: number;
  @Field(() => Int) notices!: number;
  @Field(() => Int) items!: number;
  @Field(() => [DunningLevelFigure]) byLevel!: DunningLevelFigure[];
  @Field(() => Int, { description: 'Partners whose live worklist item was re-valuated.' }) revaluated!: number;
  @Field(() => Int, { description: 'E-mails sent through SMTP after the commit (0 without RECOUP_SMTP_URL).' }) emailsSent!: number;
  @Field(() => [DunningNoticeEntry], { description: 'Dry run: the first notices as they would be written.' }) sample!: DunningNoticeEntry[];
}

@InputType()
export class DunningLevelInput {
  @Field(() => Int) level!: number;
  @Field(() => Int) daysOverdue!: number;
  @Field(() => DecimalScalar, { nullable: true }) charge?: string;
  @Field(() => String) channel!: string;
  @Field(() => String) templateKey!: string;
  @Field(() => Boolean, { nullable: true }) legal?: boolean;
}

@InputType()
export class DunningProcedureInput {
  @Field(() => String) key!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) segmentKey?: string;
  @Field(() => Int, { nullable: true, defaultValue: 0 }) graceDays?: number;
  @Field(() => String) currency!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: true }) active?: boolean;
  @Field(() => [DunningLevelInput]) levels!: DunningLevelInput[];
}

@InputType()
export class DunningTemplateInput {
  @Field(() => String) key!: string;
  @Field(() => String, { nullable: true }) subject?: string;
  @Field(() => String, { description: 'Placeholders {{partner.name}}, {{total}}, … and {{#each items}}{{item.externalId}}…{{/each}}; nothing else.' }) body!: string;
}

@InputType()
export class DunningExclusionInput {
  @Field(() => ID) partnerId!: string;
  @Field(() => ID, { nullable: true, description: 'Absent: the whole partner.' }) itemId?: string;
  @Field(() => String, { description: 'BLOCK (no dunning) or LEGAL (no legal dunning).' }) kind!: string;
  @Field(() => Boolean, { description: 'true: set; false: lift.' }) excluded!: boolean;
  @Field(() => String, { nullable: true }) reason?: string;
}

@InputType()
export class CorrespondenceAddressInput {
  @Field(() => ID) partnerId!: string;
  @Field(() => String, { nullable: true }) email?: string;
  @Field(() => String, { nullable: true }) phone?: string;
  @Field(() => String, { nullable: true }) postalAddress?: string;
}
