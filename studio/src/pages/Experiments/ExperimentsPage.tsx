import { useState, type ReactElement } from 'react';
import { useMutation, useQuery } from '@apollo/client/react';
import type { StudioExperimentFieldsFragment, StudioExperimentSetupQuery, StudioGroupExperimentsQuery } from '../../gql/graphql';
import { errorMessage } from '../../lib/errors';
import { formatInteger } from '../../lib/format';
import { mayCall, SUPERVISORS } from '../../lib/roles';
import { useSearchParam } from '../../lib/searchParams';
import { useViewer } from '../../lib/viewer';
import { ExperimentResultsCard } from './ExperimentResults';
import { EXPERIMENT_SETUP_QUERY, GROUP_EXPERIMENTS_QUERY, PROMOTE_EXPERIMENT, START_EXPERIMENT, STOP_EXPERIMENT } from './queries';
import '../../components/work.css';
import '../Runs/runs.css';
import './experiments.css';

type Group = StudioExperimentSetupQuery['collectionGroups'][number];
type Strategy = StudioExperimentSetupQuery['strategies']['edges'][number]['node'];
type GroupExperiment = StudioGroupExperimentsQuery['experiments']['edges'][number]['node'];

/** /experiments?group=KEY: a collection group's champion/challenger test: start it, follow its arms and results, promote or stop it. */
export function ExperimentsPage(): ReactElement {
  const setup = useQuery(EXPERIMENT_SETUP_QUERY);
  const [param, setGroup] = useSearchParam('group');
  const groups = setup.data?.collectionGroups.filter((g) => g.active) ?? [];
  const group = groups.find((g) => g.key === param) ?? groups[0] ?? null;
  const strategies = setup.data?.strategies.edges.map((e) => e.node) ?? [];
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Champion/challenger</h1>
          <p className="subtitle">
            Test a strategy version live on a share of a group&apos;s partners, compare what each arm actually collected, then promote it or stop.
          </p>
        </div>
      </header>
      {setup.error && (
        <div className="notice" role="alert">
          {setup.error.message}
        </div>
      )}
      {setup.data && groups.length === 0 && <p className="empty">No active collection group yet: set one up on the Organisation page.</p>}
      {group && (
        <>
          <label className="work-field exp-group">
            Collection group
            <select value={group.key} onChange={(e) => setGroup(e.target.value)}>
              {groups.map((g) => (
                <option key={g.key} value={g.key}>
                  {g.name} ({g.key})
                </option>
              ))}
            </select>
          </label>
          <GroupExperiments key={group.key} group={group} strategies={strategies} onStrategiesChanged={() => void setup.refetch()} />
        </>
      )}
    </main>
  );
}

function GroupExperiments({
  group,
  strategies,
  onStrategiesChanged,
}: {
  group: Group;
  strategies: Strategy[];
  /** A start freezes a draft, a promotion changes the champion: the versions are read again. */
  onStrategiesChanged: () => void;
}): ReactElement {
  const { data, error, refetch } = useQuery(GROUP_EXPERIMENTS_QUERY, { variables: { group: group.key }, fetchPolicy: 'cache-and-network' });
  const experiments = data?.experiments.edges.map((e) => e.node) ?? [];
  const running = experiments.find((e) => e.running) ?? null;
  const ended = experiments.filter((e) => !e.running);
  const champion = strategies.find((s) => s.key === group.strategy);
  const active = champion?.versions.find((v) => v.status === 'ACTIVE');
  const changed = () => {
    void refetch();
    onStrategiesChanged();
  };
  return (
    <>
      <section className="card exp-champion" aria-label="Champion">
        <div className="card-header">
          <h2>Champion</h2>
        </div>
        <p className="exp-line">
          {group.strategy ? (
            <>
              <b>{champion?.name ?? group.strategy}</b> {active ? `v${active.version}` : '(no active version)'}{' '}
              <span className="muted">
                ({group.strategy}, segment {group.segment})
              </span>
            </>
          ) : (
            <>This group has no strategy yet, so there is nothing to challenge.</>
          )}
        </p>
      </section>
      {error && (
        <div className="notice" role="alert">
          {error.message}
        </div>
      )}
      {data && running && <RunningExperiment experiment={running} champion={champion} onChanged={changed} />}
      {data && !running && group.strategy && active && <StartExperiment group={group} strategies={strategies} onStarted={changed} />}
      {ended.length > 0 && <PastExperiments experiments={ended} />}
    </>
  );
}

// ---- start ---------------------------------------------------------------------------------

interface Candidate {
  strategy: string;
  strategyName: string;
  version: number;
  status: string;
}

/** Drafts first (what a consultant has just built), then other strategies' active versions, retired ones last. */
const CANDIDATE_ORDER: Record<string, number> = { DRAFT: 0, ACTIVE: 1, RETIRED: 2 };

/**
 * What may challenge the group's champion: its own strategy's other versions, and other strategies' active versions in the
 * same currency; the likeliest first (newest draft), as the picker's default.
 */
function candidatesOf(group: Group, strategies: Strategy[]): Candidate[] {
  const own = strategies.find((s) => s.key === group.strategy);
  const currency = (own?.versions.find((v) => v.status === 'ACTIVE')?.document as { currency?: string } | undefined)?.currency;
  return strategies
    .flatMap((s) =>
      s.versions
        .filter((v) =>
          s.key === group.strategy ? v.status !== 'ACTIVE' : v.status === 'ACTIVE' && (v.document as { currency?: string }).currency === currency,
        )
        .map((v) => ({ strategy: s.key, strategyName: s.name, version: v.version, status: v.status })),
    )
    .sort((a, b) => (CANDIDATE_ORDER[a.status] ?? 3) - (CANDIDATE_ORDER[b.status] ?? 3) || b.version - a.version);
}

function StartExperiment({ group, strategies, onStarted }: { group: Group; strategies: Strategy[]; onStarted: () => void }): ReactElement {
  const { role } = useViewer();
  const candidates = candidatesOf(group, strategies);
  const [choice, setChoice] = useState(candidates[0] ? `${candidates[0].strategy}|${candidates[0].version}` : '');
  const [share, setShare] = useState('20');
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [start, starting] = useMutation(START_EXPERIMENT);
  const chosen = candidates.find((c) => `${c.strategy}|${c.version}` === choice);
  if (!mayCall(role, SUPERVISORS)) return <p className="empty">No experiment is running on {group.name}.</p>;
  if (candidates.length === 0) {
    return (
      <section className="card exp-start" aria-label="Start an experiment">
        <p className="empty">
          No version can challenge {group.strategy} yet: copy its active version into a draft on the Strategies page and change what you want to test.
        </p>
      </section>
    );
  }
  const run = () => {
    setProblem(null);
    start({ variables: { input: { group: group.key, challengerStrategy: chosen!.strategy, challengerVersion: chosen!.version, sharePercent: share.trim() } } })
      .then(() => {
        setConfirming(false);
        onStarted();
      })
      .catch((err: unknown) => setProblem(errorMessage(err)));
  };
  return (
    <section className="card exp-start" aria-label="Start an experiment">
      <div className="card-header">
        <h2>Start an experiment</h2>
      </div>
      <form
        className="exp-start-form"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(null);
          setConfirming(true);
        }}
      >
        <label className="work-field">
          Challenger
          <select value={choice} onChange={(e) => setChoice(e.target.value)}>
            {candidates.map((c) => (
              <option key={`${c.strategy}|${c.version}`} value={`${c.strategy}|${c.version}`}>
                {c.strategyName} v{c.version} ({c.status.toLowerCase()})
              </option>
            ))}
          </select>
        </label>
        <label className="work-field exp-share">
          Challenger share (%)
          <input type="number" min="0.01" max="50" step="0.01" value={share} onChange={(e) => setShare(e.target.value)} required />
        </label>
        <button type="submit" className="button button-primary">
          Start…
        </button>
      </form>
      <p className="muted exp-hint">
        Partners are split by a hash of the experiment key and their id, so each stays in its arm on every run. The split starts with the next live run of
        segment {group.segment}.
      </p>
      {problem && !confirming && (
        <p className="work-error exp-problem" role="alert">
          {problem}
        </p>
      )}
      {confirming && chosen && (
        <Confirm
          title={`Start testing ${chosen.strategyName} v${chosen.version}?`}
          action={starting.loading ? 'Starting…' : 'Yes, start the experiment'}
          busy={starting.loading}
          problem={problem}
          onCancel={() => setConfirming(false)}
          onConfirm={run}
        >
          <p>
            From the next live run of segment {group.segment}, about <b>{share}%</b> of the partners of {group.name} are scored with{' '}
            <b>
              {chosen.strategyName} v{chosen.version}
            </b>{' '}
            instead of the champion. Their worklist items show the arm; the results compare what each arm collects.
          </p>
          {chosen.status === 'DRAFT' && <p className="muted">The draft is frozen while the experiment runs.</p>}
        </Confirm>
      )}
    </section>
  );
}

// ---- running -------------------------------------------------------------------------------

function RunningExperiment({
  experiment: e,
  champion,
  onChanged,
}: {
  experiment: GroupExperiment;
  champion: Strategy | undefined;
  onChanged: () => void;
}): ReactElement {
  const { role } = useViewer();
  const [confirm, setConfirm] = useState<'promote' | 'stop' | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [promote, promoting] = useMutation(PROMOTE_EXPERIMENT);
  const [stop, stopping] = useMutation(STOP_EXPERIMENT);
  const busy = promoting.loading || stopping.loading;
  const act = () => {
    setProblem(null);
    const done = confirm === 'promote' ? promote({ variables: { id: e.id } }) : stop({ variables: { id: e.id } });
    done
      .then(() => {
        setConfirm(null);
        onChanged();
      })
      .catch((err: unknown) => setProblem(errorMessage(err)));
  };
  const challengerName = `${e.challengerStrategy} v${e.challengerVersion}`;
  const sameStrategy = champion?.key === e.challengerStrategy;
  return (
    <>
      <section className="card exp-running" aria-label="Running experiment">
        <div className="card-header exp-running-header">
          <h2>
            Running: {challengerName} on {Number(e.sharePercent)}% of the partners
          </h2>
          <span className="work-status s-running">running</span>
        </div>
        <dl className="exp-facts">
          <Fact label="Experiment key" value={e.key} />
          <Fact label="Started" value={`${e.startedOn} by ${e.startedBy}`} />
          <Fact label="Live runs split" value={formatInteger(e.runs)} />
          <Fact label="Latest run" value={e.latestRunAsOf ?? 'none yet'} />
        </dl>
        <div className="table-scroll">
          <table className="table exp-arms" aria-label="Arms">
            <thead>
              <tr>
                <th>Arm</th>
                <th>Strategy</th>
                <th className="num">Partners of the group</th>
                <th className="num">Share</th>
                <th className="num">On the latest list</th>
              </tr>
            </thead>
            <tbody>
              {e.arms.map((a) => (
                <tr key={a.arm}>
                  <td>
                    <span className={`exp-arm exp-arm-${a.arm.toLowerCase()}`}>{a.arm === 'CHAMPION' ? 'Champion' : 'Challenger'}</span>
                  </td>
                  <td>{a.arm === 'CHAMPION' ? (champion ? `${champion.name} (active version)` : '') : challengerName}</td>
                  <td className="num">{formatInteger(a.partners)}</td>
                  <td className="num">{a.share === null || a.share === undefined ? '–' : `${(a.share * 100).toFixed(1)}%`}</td>
                  <td className="num">{formatInteger(a.onLatestList)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {mayCall(role, SUPERVISORS) && (
          <div className="exp-actions">
            <button type="button" className="button button-primary" onClick={() => setConfirm('promote')}>
              Promote challenger…
            </button>
            <button type="button" className="button" onClick={() => setConfirm('stop')}>
              Stop experiment…
            </button>
          </div>
        )}
      </section>
      <ExperimentResultsCard experiment={e} />
      {confirm && (
        <Confirm
          title={confirm === 'promote' ? `Promote ${challengerName}?` : 'Stop the experiment?'}
          action={busy ? 'Working…' : confirm === 'promote' ? `Yes, promote ${challengerName}` : 'Yes, stop it'}
          busy={busy}
          problem={problem}
          onCancel={() => {
            setConfirm(null);
            setProblem(null);
          }}
          onConfirm={act}
        >
          {confirm === 'promote' ? (
            <p>
              {sameStrategy ? (
                <>
                  v{e.challengerVersion} becomes the active version of {e.challengerStrategy} (the current one retires); every group running{' '}
                  {e.challengerStrategy} switches with it.
                </>
              ) : (
                <>
                  {e.group} runs {e.challengerStrategy} from now on instead of {champion?.key ?? 'its strategy'}.
                </>
              )}{' '}
              The next live run scores all of the group&apos;s partners with it. The change is recorded in the audit log.
            </p>
          ) : (
            <p>The champion stays; the next live run scores all of the group&apos;s partners with it. The results so far stay readable.</p>
          )}
        </Confirm>
      )}
    </>
  );
}

function PastExperiments({ experiments }: { experiments: StudioExperimentFieldsFragment[] }): ReactElement {
  return (
    <section className="card table-card exp-past" aria-label="Past experiments">
      <div className="card-header exp-running-header">
        <h2>Past experiments</h2>
        <span className="muted">newest first</span>
      </div>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>Key</th>
              <th>Challenger</th>
              <th className="num">Share</th>
              <th>Started</th>
              <th>Ended</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {experiments.map((e) => (
              <tr key={e.id}>
                <td>{e.key}</td>
                <td>
                  {e.challengerStrategy} v{e.challengerVersion}
                </td>
                <td className="num">{Number(e.sharePercent)}%</td>
                <td>{e.startedOn}</td>
                <td>
                  {e.endedOn} {e.endedBy && <span className="muted">by {e.endedBy}</span>}
                </td>
                <td>{e.outcome === 'PROMOTED' ? 'promoted' : 'stopped'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Fact({ label, value }: { label: string; value: string }): ReactElement {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Confirm({
  title,
  action,
  busy,
  problem,
  onCancel,
  onConfirm,
  children,
}: {
  title: string;
  action: string;
  busy: boolean;
  problem: string | null;
  onCancel: () => void;
  onConfirm: () => void;
  children: ReactElement | ReactElement[] | false | Array<ReactElement | false>;
}): ReactElement {
  return (
    <div className="modal-backdrop" onClick={onCancel}>
      <div className="modal card" role="dialog" aria-modal="true" aria-labelledby="exp-confirm-title" onClick={(e) => e.stopPropagation()}>
        <h2 id="exp-confirm-title">{title}</h2>
        {children}
        {problem && (
          <p className="work-error" role="alert">
            {problem}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-primary" onClick={onConfirm} disabled={busy}>
            {action}
          </button>
        </div>
      </div>
    </div>
  );
}
