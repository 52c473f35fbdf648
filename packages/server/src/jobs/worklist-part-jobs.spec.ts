import type PgBoss from 'pg-boss';
import { describe, expect, it } from 'vitest';
import { partDonePayload, type RunPart } from '../worklists';
import { engineSplitting } from './worklist-part-jobs';

/** A job table in memory: what the dispatcher sends, reads and cancels. */
function fakeBoss() {
  const jobs = new Map<string, { state: string; output: unknown; part: RunPart }>();
  const cancelled: string[] = [];
  let reads = 0;
  const boss = {
    send: async (_queue: string, part: RunPart) => {
      const id = `00000000-0000-0000-0000-00000000000${jobs.size}`;
      jobs.set(id, { state: 'created', output: null, part });
      return id;
    },
    cancel: async (_queue: string, ids: string[]) => {
      cancelled.push(...ids);
    },
    getDb: () => ({
      executeSql: async (_text: string, [, ids]: [string, string[]]) => {
        reads++;
        return { rows: ids.filter((id) => jobs.has(id)).map((id) => ({ id, state: jobs.get(id)!.state, output: jobs.get(id)!.output })) };
      },
    }),
    getJobById: async () => null,
  };
  return { boss: boss as unknown as PgBoss, jobs, cancelled, reads: () => reads };
}

/** Signals in memory: a listener per coordinator, and what was said. */
function fakeSignals() {
  const listeners = new Set<(payload: string) => void>();
  const said: string[] = [];
  return {
    signals: {
      on: (listener: (payload: string) => void) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      queued: async () => {
        said.push('queued');
      },
    },
    say: (payload: string) => listeners.forEach((l) => l(payload)),
    said,
    listening: () => listeners.size,
  };
}

const part = (n: number, runId = '7'): RunPart => ({
  runIds: [runId],
  stage: `worklist_stage_${runId}`,
  part: n,
  parts: 3,
  range: [String(n * 10), String(n * 10 + 10)],
  statements: [],
  where: '',
});

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('a split run waiting for its parts (engine dispatcher)', () => {
  it('counts a part done at its commit signal, before its job completes, without waiting for the next poll', async () => {
    const { boss, jobs } = fakeBoss();
    const { signals, say, said, listening } = fakeSignals();
    const done: number[] = [];
    const parts = [part(0), part(1), part(2)];
    // A poll an hour apart: only the signals can end the wait within the test.
    const waiting = engineSplitting(boss, { pollMs: 3_600_000 }, signals).dispatch(parts, (p) => done.push(p.part));
    await tick();
    expect(said).toEqual(['queued']);
    say(partDonePayload(part(1)));
    // Another run's part with the same number: not ours.
    say(partDonePayload(part(0, '8')));
    await tick();
    expect(done).toEqual([1]);
    [...jobs.values()][0]!.state = 'completed';
    say(partDonePayload(part(2)));
    await waiting;
    expect(done.sort()).toEqual([0, 1, 2]);
    expect(listening()).toBe(0);
  });

  it('fails the run with the first part failed for good, and cancels the parts not done', async () => {
    const { boss, jobs, cancelled } = fakeBoss();
    const { signals, say } = fakeSignals();
    const waiting = engineSplitting(boss, { pollMs: 3_600_000 }, signals).dispatch([part(0), part(1), part(2)], () => undefined);
    await tick();
    say(partDonePayload(part(0)));
    const [, second, third] = [...jobs.entries()];
    second![1].state = 'failed';
    second![1].output = { message: 'relation "partners" does not exist' };
    // A signal of another part wakes the coordinator, which then sees the failure.
    say('queued');
    say(partDonePayload(part(0)));
    await expect(waiting).rejects.toThrow('part 2 of 3 (partners 10..20) of run 7 failed: relation "partners" does not exist');
    expect(cancelled).toEqual([third![0]]);
  });

  it('without signals, finds its parts done by polling the job table', async () => {
    const { boss, jobs, reads } = fakeBoss();
    const waiting = engineSplitting(boss, { pollMs: 5 }).dispatch([part(0), part(1), part(2)], () => undefined);
    await tick();
    for (const job of jobs.values()) job.state = 'completed';
    await waiting;
    expect(reads()).toBeGreaterThan(1);
  });
});
