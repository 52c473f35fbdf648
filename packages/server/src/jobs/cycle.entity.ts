import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One step of the nightly cycle as configuration: when it fires (cron in its time zone) and what it waits for. */
@Entity('cycle_steps')
export class CycleStep {
  /** A step of CYCLE_STEPS (jobs/job-types.ts). */
  @PrimaryColumn({ type: 'varchar', length: 32 })
  step!: string;

  /** Five-field cron expression (minute hour day month weekday), read in timeZone. */
  @Column({ type: 'varchar', length: 100 })
  cron!: string;

  /** IANA time zone name; the cycle date is the step's fire time's date there. */
  @Column({ type: 'varchar', length: 64 })
  timeZone!: string;

  /** Steps of the same cycle date that must be DONE before this one starts. */
  @Column({ type: 'varchar', length: 32, array: true, default: () => "'{}'" })
  dependsOn!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/**
 * A step of one cycle date: created when its cron time comes (or by `cycle run`), started once its
 * dependencies of the same date are done. The primary key is what keeps two schedulers from
 * starting the same cycle step twice.
 */
@Entity('cycle_step_runs')
@Index('idx_cycle_step_runs_state', ['state'])
@Check('chk_cycle_step_runs_state', `state IN ('WAITING', 'QUEUED', 'DONE', 'FAILED')`)
export class CycleStepRun {
  @PrimaryColumn({ type: 'date' })
  cycleDate!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  step!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: 'WAITING' | 'QUEUED' | 'DONE' | 'FAILED';

  /** The engine's job (pg-boss id) once queued. */
  @Column({ type: 'uuid', nullable: true })
  jobId!: string | null;

  /** When its cron time came (or the manual run asked for it). */
  @Column({ type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  queuedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
