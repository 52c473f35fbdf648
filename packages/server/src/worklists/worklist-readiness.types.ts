import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** The stable codes of the readiness findings (worklist-readiness.ts). */
export const WorklistWarningCode = {
  NO_SEGMENT: 'NO_SEGMENT',
  NO_COLLECTION_GROUP: 'NO_COLLECTION_GROUP',
  SEGMENT_WITHOUT_GROUP: 'SEGMENT_WITHOUT_GROUP',
  INACTIVE_GROUP: 'INACTIVE_GROUP',
  GROUP_WITHOUT_STRATEGY: 'GROUP_WITHOUT_STRATEGY',
  UNKNOWN_STRATEGY: 'UNKNOWN_STRATEGY',
  STRATEGY_WITHOUT_ACTIVE_VERSION: 'STRATEGY_WITHOUT_ACTIVE_VERSION',
  MIXED_STRATEGY_VERSIONS: 'MIXED_STRATEGY_VERSIONS',
  NO_ACTIVE_SPECIALIST: 'NO_ACTIVE_SPECIALIST',
} as const;
export type WorklistWarningCode = (typeof WorklistWarningCode)[keyof typeof WorklistWarningCode];

registerEnumType(WorklistWarningCode, {
  name: 'WorklistWarningCode',
  description: 'What a worklist warning is about; stable, for clients to key on.',
  valuesConfig: {
    NO_SEGMENT: { description: 'No collection segment exists: no partner has been imported.' },
    NO_COLLECTION_GROUP: { description: 'No active collection group works any segment: nothing is assigned and no worklist can be generated.' },
    SEGMENT_WITHOUT_GROUP: { description: 'No active collection group works the segment: its items are not assigned and its worklist cannot be generated.' },
    INACTIVE_GROUP: { description: 'The collection group is inactive: it works nothing (other groups of the segment may).' },
    GROUP_WITHOUT_STRATEGY: { description: 'The collection group names no strategy: its segment cannot be generated.' },
    UNKNOWN_STRATEGY: { description: 'The collection group names a strategy that does not exist: its segment cannot be generated.' },
    STRATEGY_WITHOUT_ACTIVE_VERSION: { description: "The group's strategy has no active version: its segment cannot be generated." },
    MIXED_STRATEGY_VERSIONS: { description: "The segment's groups use different strategy versions: its worklist cannot be generated." },
    NO_ACTIVE_SPECIALIST: { description: 'The collection group has no active specialist: its items stay unassigned.' },
  },
});

@ObjectType({ description: 'Something missing from the organisation that a worklist run depends on, for a client to show.' })
export class WorklistWarning {
  @Field(() => WorklistWarningCode, { description: 'What the warning is about (stable).' })
  code!: WorklistWarningCode;

  @Field(() => String, { description: 'For people: what is missing and what it does to the worklist.' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'Key of the segment concerned; null for the organisation as a whole.' })
  segment!: string | null;

  @Field(() => String, { nullable: true, description: 'Key of the collection group concerned, if any.' })
  group!: string | null;

  @Field(() => String, { nullable: true, description: 'Key of the strategy concerned, if any.' })
  strategy!: string | null;

  @Field(() => Boolean, { description: 'Whether generateWorklist refuses the segment (BAD_USER_INPUT, extensions.missing) until this is configured.' })
  blocksGeneration!: boolean;
}
