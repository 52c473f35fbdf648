/**
 * What stands between an imported AR and its first worklist (README, "Going live"): the
 * organisation (company codes, segments worked by groups with specialists), an active strategy
 * for every group, and a live run on every segment with partners. Pure: the guide's steps from
 * what the API answers.
 */
import { ORGANISATION_PATH, STRATEGIES_PATH, WORKLISTS_PATH, organisationPath } from '../../lib/paths';

export interface SetupFacts {
  companyCodes: Array<{ code: string; active: boolean }>;
  /** Segments with partners: the ones that need a worklist. */
  segments: Array<{ key: string; name: string }>;
  groups: Array<{ key: string; name: string; segment: string; active: boolean; specialistCount: number; strategy: string | null }>;
  /** Strategy key -> its live version, null while none is active. */
  liveVersions: Map<string, number | null>;
  /** Segment key -> whether it has a live run. */
  liveRuns: Map<string, boolean>;
}

export interface SetupStep {
  id: 'organisation' | 'strategy' | 'worklists';
  title: string;
  done: boolean;
  /** What is in place (done) or what is missing, in a sentence each. */
  notes: string[];
  link: { to: string; label: string };
}

function organisationStep(f: SetupFacts): SetupStep {
  const missing: string[] = [];
  if (!f.companyCodes.some((c) => c.active)) missing.push('No company code yet.');
  for (const s of f.segments) {
    const groups = f.groups.filter((g) => g.active && g.segment === s.key);
    if (!groups.length) missing.push(`Segment ${s.name} has no collection group.`);
    for (const g of groups) if (g.specialistCount === 0) missing.push(`Group ${g.name} has no specialist.`);
  }
  const active = f.groups.filter((g) => g.active);
  const specialists = active.reduce((n, g) => n + g.specialistCount, 0);
  return {
    id: 'organisation',
    title: 'Organisation: company codes, segments, groups with specialists',
    done: missing.length === 0,
    notes: missing.length
      ? missing
      : [`${active.length} ${active.length === 1 ? 'group' : 'groups'} with ${specialists} specialists work ${f.segments.length} segments.`],
    link:
      missing[0] === 'No company code yet.'
        ? { to: ORGANISATION_PATH, label: 'Set up company codes' }
        : { to: organisationPath('groups'), label: 'Open groups' },
  };
}

function strategyStep(f: SetupFacts): SetupStep {
  const missing: string[] = [];
  const active = f.groups.filter((g) => g.active);
  for (const g of active) {
    if (!g.strategy) missing.push(`Group ${g.name} runs no strategy.`);
    else if ((f.liveVersions.get(g.strategy) ?? null) === null) missing.push(`Strategy ${g.strategy} of group ${g.name} has no active version.`);
  }
  if (!active.length) missing.push('No collection group to run a strategy yet.');
  const strategies = new Set(active.map((g) => g.strategy));
  return {
    id: 'strategy',
    title: 'An active strategy for every group',
    done: missing.length === 0,
    notes: missing.length ? missing : [`${strategies.size} active ${strategies.size === 1 ? 'strategy' : 'strategies'} assigned.`],
    link: { to: STRATEGIES_PATH, label: 'Open strategies' },
  };
}

function worklistStep(f: SetupFacts): SetupStep {
  const without = f.segments.filter((s) => !f.liveRuns.get(s.key));
  return {
    id: 'worklists',
    title: 'A live worklist for every segment',
    done: without.length === 0 && f.segments.length > 0,
    notes: without.length
      ? without.map((s) => `Segment ${s.name} has no live worklist yet: generate it from its group.`)
      : f.segments.length
        ? [`${f.segments.length} live ${f.segments.length === 1 ? 'worklist' : 'worklists'}.`]
        : ['No segment with partners yet: import the AR first.'],
    link: without.length ? { to: organisationPath('groups'), label: 'Generate from a group' } : { to: WORKLISTS_PATH, label: 'Open worklists' },
  };
}

export function setupSteps(f: SetupFacts): SetupStep[] {
  return [organisationStep(f), strategyStep(f), worklistStep(f)];
}
