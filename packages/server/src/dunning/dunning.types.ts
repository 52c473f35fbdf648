import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateScalar, DecimalScalar } from '../graphql/scalars';
import { PageInfo } from '../graphql/paging';

@ObjectType({ description: 'A level of a dunning procedure.' })
export class DunningLevelEntry {
  @Field(() => Int, { description: 'Level number, from 1.' }) level!: number;
  @Field(() => Int, { description: 'Days after the due date (negative: a reminder before it).' }) daysOverdue!: number;
  @Field(() => DecimalScalar, { description: "Charge of the level, in the procedure's currency." }) charge!: string;
  @Field(() => String, { description: 'How notices of the level are sent: LETTER, EMAIL or SMS.' }) channel!: string;
  @Field(() => String, { description: 'Key of the notice template of the level.' }) templateKey!: string;
  @Field(() => Boolean, { description: 'Legal dunning: skipped for excluded items and partners.' }) legal!: boolean;
}

@ObjectType({ description: 'A dunning procedure: levels by days overdue, for one segment or as the default.' })
export class DunningProcedureEntry {
  @Field(() => String, { description: 'Unique key of the procedure.' }) key!: string;
  @Field(() => String, { description: 'Display name.' }) name!: string;
  @Field(() => String, {
    nullable: true,
    description: 'Segment whose partners the procedure applies to; null: the default procedure for segments without one.',
  })
  segmentKey!: string | null;
  @Field(() => Int, { description: 'Grace days: a level with days overdue above 0 is reached only this many days later.' }) graceDays!: number;
  @Field(() => String, { description: 'ISO 4217 currency of the charges.' }) currency!: string;
  @Field(() => Boolean, { description: 'Whether dunning runs use the procedure.' }) active!: boolean;
  @Field(() => [DunningLevelEntry], { description: 'The levels, ascending.' }) levels!: DunningLevelEntry[];
}

@ObjectType({ description: 'A template of dunning notices.' })
export class DunningTemplateEntry {
  @Field(() => String, { description: 'Unique key, named by dunning levels.' }) key!: string;
  @Field(() => String, { nullable: true, description: 'Subject template for e-mails; null: none ("Payment reminder" is sent).' }) subject!: string | null;
  @Field(() => String, { description: 'Body template: plain text with placeholders such as {{partner.name}}.' }) body!: string;
}

@ObjectType({ description: 'An exclusion of a partner, or of one of its items, from dunning (BLOCK) or from legal dunning (LEGAL).' })
export class DunningExclusionEntry {
  @Field(() => ID, { description: 'Identifier of the exclusion.' }) id!: string;
  @Field(() => ID, { description: 'The partner.' }) partnerId!: string;
  @Field(() => ID, { nullable: true, description: 'The excluded item; null: the whole partner.' }) itemId!: string | null;
  @Field(() => String, { description: 'BLOCK (no dunning) or LEGAL (no legal dunning).' }) kind!: string;
  @Field(() => String, { nullable: true, description: 'Why; null when not given.' }) reason!: string | null;
  @Field(() => String, { nullable: true, description: 'Who set it (API token name); null when not recorded.' }) createdBy!: string | null;
}

@ObjectType({ description: 'An item of a dunning notice.' })
export class DunningNoticeItemEntry {
  @Field(() => ID, { description: 'The dunned open item.' }) itemId!: string;
  @Field(() => String, { description: 'Document id in the source system.' }) externalId!: string;
  @Field(() => Int, { description: 'Dunning level of the item before this notice.' }) previousLevel!: number;
  @Field(() => Int, { description: 'Dunning level the notice raised the item to.' }) level!: number;
  @Field(() => Int, { description: "Days overdue at the run's key date (negative: not yet due)." }) daysOverdue!: number;
  @Field(() => DecimalScalar, { description: 'Open amount of the item at the run, in the notice currency.' }) openAmount!: string;
}

@ObjectType({ description: 'A rendered notice of the outbox.' })
export class DunningNoticeEntry {
  @Field(() => ID, { nullable: true, description: 'Identifier of the notice; null in a dry run.' }) id!: string | null;
  @Field(() => ID, { nullable: true, description: 'The dunning run that wrote it; null in a dry run.' }) runId!: string | null;
  @Field(() => ID, { description: 'The dunned partner.' }) partnerId!: string;
  @Field(() => Int, { description: 'Dunning level of the notice.' }) level!: number;
  @Field(() => String, { description: 'How it is sent: LETTER, EMAIL or SMS (EMAIL and SMS fall back to LETTER without an address).' }) channel!: string;
  @Field(() => String, {
    nullable: true,
    description: 'E-mail address, phone number or postal address it goes to; null for a letter without a postal address.',
  })
  recipient!: string | null;
  @Field(() => String, { description: 'ISO 4217 currency of its items and totalAmount.' }) currency!: string;
  @Field(() => DecimalScalar, { description: 'Sum of the open amounts of its items, in `currency`.' }) totalAmount!: string;
  @Field(() => DecimalScalar, { description: 'Dunning charge of the level, in chargeCurrency.' }) charge!: string;
  @Field(() => String, { description: "Currency of the charge (the procedure's)." }) chargeCurrency!: string;
  @Field(() => String, { nullable: true, description: 'Rendered subject; null when the template has none.' }) subject!: string | null;
  @Field(() => String, { description: 'Rendered text of the notice.' }) body!: string;
  @Field(() => String, { description: 'PENDING, SENT or FAILED (DRY_RUN in a dry run).' }) status!: string;
  @Field(() => String, { nullable: true, description: 'Why sending failed; null unless FAILED.' }) error!: string | null;
  @Field(() => [ID], { description: 'The items the notice covers.' }) itemIds!: string[];
}

@ObjectType({ description: 'A dunning notice with its cursor.' })
export class DunningNoticeEdge {
  @Field(() => String, { description: 'Opaque cursor of this notice; pass it as `after` to read the notices that follow.' }) cursor!: string;
  @Field(() => DunningNoticeEntry, { description: 'The notice.' }) node!: DunningNoticeEntry;
}

@ObjectType({ description: 'A page of dunning notices, newest first.' })
export class DunningNoticeConnection {
  @Field(() => [DunningNoticeEdge], { description: 'The notices of this page.' }) edges!: DunningNoticeEdge[];
  @Field(() => PageInfo, { description: 'Paging state of this page.' }) pageInfo!: PageInfo;
}

@ObjectType({ description: 'Notices and items of one dunning level in a run.' })
export class DunningLevelFigure {
  @Field(() => Int, { description: 'Dunning level.' }) level!: number;
  @Field(() => Int, { description: 'Notices at this level.' }) notices!: number;
  @Field(() => Int, { description: 'Items raised to this level.' }) items!: number;
}

@ObjectType({ description: 'Outcome of a dunning run or dry run.' })
export class DunningRunReport {
  @Field(() => ID, { nullable: true, description: 'Identifier of the run; null for a dry run (nothing written).' }) runId!: string | null;
  @Field(() => DateScalar, { description: 'Key date of the run.' }) asOf!: string;
  @Field(() => Boolean, { description: 'Whether it was a dry run.' }) dryRun!: boolean;
  @Field(() => Int, { description: 'Partners dunned.' }) partners!: number;
  @Field(() => Int, { description: 'Notices written (in a dry run: that would be written).' }) notices!: number;
  @Field(() => Int, { description: 'Items raised a level.' }) items!: number;
  @Field(() => [DunningLevelFigure], { description: 'Notices and items per level.' }) byLevel!: DunningLevelFigure[];
  @Field(() => Int, { description: 'Partners whose live worklist item was re-valuated.' }) revaluated!: number;
  @Field(() => Int, { description: 'E-mails sent through SMTP after the commit (0 without RECOUP_SMTP_URL).' }) emailsSent!: number;
  @Field(() => [DunningNoticeEntry], { description: 'Dry run: the first notices as they would be written.' }) sample!: DunningNoticeEntry[];
}

@InputType({ description: 'A level of a dunning procedure.' })
export class DunningLevelInput {
  @Field(() => Int, { description: 'Level number: 1, 2, … without gaps.' }) level!: number;
  @Field(() => Int, { description: 'Days after the due date at which the level is reached, rising with the level (negative: a reminder before the due date).' })
  daysOverdue!: number;
  @Field(() => DecimalScalar, { nullable: true, description: 'Charge in the procedure currency, 0 or more (default 0).' }) charge?: string;
  @Field(() => String, { description: 'LETTER, EMAIL or SMS.' }) channel!: string;
  @Field(() => String, { description: 'Key of an existing notice template.' }) templateKey!: string;
  @Field(() => Boolean, { nullable: true, description: 'Whether the level is legal dunning (default false).' }) legal?: boolean;
}

@InputType({ description: 'A dunning procedure with all its levels, to create or replace.' })
export class DunningProcedureInput {
  @Field(() => String, { description: 'Unique key; an existing procedure is replaced.' }) key!: string;
  @Field(() => String, { description: 'Display name.' }) name!: string;
  @Field(() => String, { nullable: true, description: 'Segment whose partners it applies to; absent: the default procedure (at most one).' })
  segmentKey?: string;
  @Field(() => Int, {
    nullable: true,
    defaultValue: 0,
    description: 'Grace days: a level with days overdue above 0 is reached this many days later; 0 to 365 (default 0).',
  })
  graceDays?: number;
  @Field(() => String, { description: 'ISO 4217 currency of the charges.' }) currency!: string;
  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Whether dunning runs use it (default true).' }) active?: boolean;
  @Field(() => [DunningLevelInput], { description: 'All levels of the procedure (at least one).' }) levels!: DunningLevelInput[];
}

@InputType({ description: 'A template of dunning notices, to create or replace.' })
export class DunningTemplateInput {
  @Field(() => String, { description: 'Unique key (A-Z, 0-9, _; at most 40); an existing template is replaced.' }) key!: string;
  @Field(() => String, { nullable: true, description: 'Subject template for e-mails, same placeholders as the body; absent: none.' }) subject?: string;
  @Field(() => String, { description: 'Placeholders {{partner.name}}, {{total}}, … and {{#each items}}{{item.externalId}}…{{/each}}; nothing else.' })
  body!: string;
}

@InputType({ description: 'A dunning block or legal-dunning exclusion to set or lift.' })
export class DunningExclusionInput {
  @Field(() => ID, { description: 'The partner.' }) partnerId!: string;
  @Field(() => ID, { nullable: true, description: 'An open item of the partner; absent: the whole partner.' }) itemId?: string;
  @Field(() => String, { description: 'BLOCK (no dunning) or LEGAL (no legal dunning).' }) kind!: string;
  @Field(() => Boolean, { description: 'True sets the exclusion, false lifts it.' }) excluded!: boolean;
  @Field(() => String, { nullable: true, description: 'Why; kept with partner blocks and legal-dunning exclusions.' }) reason?: string;
}

@InputType({ description: "A partner's addresses for dunning notices; they replace the stored ones (absent fields are cleared)." })
export class CorrespondenceAddressInput {
  @Field(() => ID, { description: 'The partner.' }) partnerId!: string;
  @Field(() => String, { nullable: true, description: 'E-mail address for EMAIL notices.' }) email?: string;
  @Field(() => String, { nullable: true, description: 'Phone number for SMS notices.' }) phone?: string;
  @Field(() => String, { nullable: true, description: 'Postal address for letters ({{partner.postalAddress}} in templates).' }) postalAddress?: string;
}

@ObjectType({ description: 'A dunning run that wrote notices (dry runs leave none).' })
export class DunningRunEntry {
  @Field(() => ID, { description: 'Identifier of the run; its notices are dunningNotices(runId).' }) id!: string;
  @Field(() => DateScalar, { description: 'Key date of the run.' }) asOf!: string;
  @Field(() => String, { description: 'When it started (ISO 8601 timestamp).' }) startedAt!: string;
  @Field(() => String, { nullable: true, description: 'When it finished (ISO 8601 timestamp).' }) finishedAt!: string | null;
  @Field(() => String, { nullable: true, description: 'Who ran it (API token name, or cli); null when not recorded.' }) createdBy!: string | null;
  @Field(() => Int, { description: 'Partners dunned.' }) partners!: number;
  @Field(() => Int, { description: 'Notices written.' }) notices!: number;
  @Field(() => Int, { description: 'Items raised a level.' }) items!: number;
}

@ObjectType({ description: 'A dunning run with its cursor.' })
export class DunningRunEdge {
  @Field(() => String, { description: 'Opaque cursor of this run; pass it as `after` to read the runs that follow.' }) cursor!: string;
  @Field(() => DunningRunEntry, { description: 'The run.' }) node!: DunningRunEntry;
}

@ObjectType({ description: 'A page of dunning runs, newest first.' })
export class DunningRunConnection {
  @Field(() => [DunningRunEdge], { description: 'The runs of this page.' }) edges!: DunningRunEdge[];
  @Field(() => PageInfo, { description: 'Paging state of this page.' }) pageInfo!: PageInfo;
}

@ObjectType({ description: 'A notice template rendered for a real partner, as a dunning run would render it (nothing saved or written).' })
export class DunningTemplatePreview {
  @Field(() => ID, { description: 'The partner it is rendered for.' }) partnerId!: string;
  @Field(() => String, { description: "The partner's name." }) partnerName!: string;
  @Field(() => Int, { description: 'The dunning level rendered.' }) level!: number;
  @Field(() => String, { nullable: true, description: 'Rendered subject; null without a subject template.' }) subject!: string | null;
  @Field(() => String, { description: 'Rendered body.' }) body!: string;
  @Field(() => Int, { description: "Items listed: the partner's overdue items in one currency, at most 10." }) itemCount!: number;
}
