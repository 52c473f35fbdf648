import { useState, type ReactElement } from 'react';
import { useQuery } from '@apollo/client/react';
import { useNavigate, useSearchParams } from 'react-router';
import type { BacktestInput, StudioBacktestOptionsQuery } from '../../gql/graphql';
import { addDays, today } from '../../lib/dates';
import { backtestParamsOf, backtestsPath, type BacktestParams } from '../../lib/paths';
import { errorMessage } from '../../lib/errors';
import { ANALYSTS, mayCall } from '../../lib/roles';
import { useViewer } from '../../lib/viewer';
import { BacktestResults } from './BacktestResults';
import { BACKTEST_OPTIONS, BACKTEST_QUERY } from './queries';
import '../../components/work.css';
import './backtests.css';

const MAX_STRATEGIES = 4;

type StrategyOption = StudioBacktestOptionsQuery['strategies']['edges'][number]['node'];

/** A saved version as the form picks it. */
interface Choice {
  key: string;
  version: number;
  label: string;
}

/** KEY v2 (live), KEY v3 (draft). */
function choicesOf(strategies: StrategyOption[]): Choice[] {
  return strategies.flatMap((s) =>
    [...s.versions]
      .filter((v) => v.status !== 'RETIRED')
      // The live version first, then the newest drafts.
      .sort((a, b) => Number(b.status === 'ACTIVE') - Number(a.status === 'ACTIVE') || b.version - a.version)
      .map((v) => ({ key: s.key, version: v.version, label: `${s.name} v${v.version} (${v.status === 'ACTIVE' ? 'live' : 'draft'})` })),
  );
}

const choiceId = (c: Pick<Choice, 'key' | 'version'>) => `${c.key}@${c.version}`;

/** /backtests: strategies scored at past key dates and measured by what happened over the next days. */
export function BacktestsPage(): ReactElement {
  const { role } = useViewer();
  const options = useQuery(BACKTEST_OPTIONS);
  const allowed = role === null || mayCall(role, ANALYSTS);
  return (
    <main className="main">
      <header className="page-header">
        <div>
          <h1>Backtests</h1>
          <p className="subtitle">
            Would another strategy have collected more? Each strategy scores the segment as it stood at past key dates; the lists are then measured by what
            customers actually paid over the following days.
          </p>
        </div>
      </header>
      {!allowed && <p className="notice">Backtests are for administrators, strategy configurators and supervisors.</p>}
      {options.error && (
        <div className="notice" role="alert">
          {options.error.message}
        </div>
      )}
      {allowed && options.data && <Backtest options={options.data} />}
    </main>
  );
}

/** The query's input for the URL's backtest; a version the options do not list keeps its id as label (the server answers NOT_FOUND). */
function inputOf(p: BacktestParams, choices: Choice[]): BacktestInput {
  return {
    segment: p.segment,
    from: p.from,
    to: p.to,
    everyDays: p.every,
    horizonDays: p.horizon,
    strategies: p.strategies.map((id) => {
      const c = choices.find((x) => choiceId(x) === id);
      const at = id.lastIndexOf('@');
      return { label: c?.label ?? id, strategy: c?.key ?? id.slice(0, at), version: c?.version ?? Number(id.slice(at + 1)) };
    }),
  };
}

/** The form (started from the URL's backtest, else defaults) and the results of the URL's backtest. */
function Backtest({ options }: { options: StudioBacktestOptionsQuery }): ReactElement {
  const choices = choicesOf(options.strategies.edges.map((e) => e.node));
  const [search] = useSearchParams();
  const navigate = useNavigate();
  const asked = backtestParamsOf(search);
  const live = choices.filter((c) => c.label.endsWith('(live)')).slice(0, 1);
  const [picked, setPicked] = useState<string[]>(asked?.strategies ?? live.map(choiceId));
  const [segment, setSegment] = useState(asked?.segment ?? options.collectionSegments[0]?.key ?? '');
  const [horizon, setHorizon] = useState(asked?.horizon ?? 30);
  const lastKeyDate = addDays(today(), -horizon - 1);
  const [to, setTo] = useState(asked?.to ?? lastKeyDate);
  const [from, setFrom] = useState(asked?.from ?? addDays(lastKeyDate, -12 * 7));
  const [every, setEvery] = useState(asked?.every ?? 7);
  const result = useQuery(BACKTEST_QUERY, {
    variables: { input: asked ? inputOf(asked, choices) : inputOf({ strategies: [], segment, from, to, every, horizon }, choices) },
    skip: !asked,
  });

  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : p.length < MAX_STRATEGIES ? [...p, id] : p));
  const keyDateCount = from && to && every > 0 && to >= from ? Math.floor((Date.parse(to) - Date.parse(from)) / 86_400_000 / every) + 1 : 0;

  return (
    <>
      <form
        className="card backtest-form"
        aria-label="Backtest"
        onSubmit={(e) => {
          e.preventDefault();
          // The URL holds the backtest, so a reload or a shared link shows the same results.
          const next = backtestsPath({ strategies: picked, segment, from, to, every, horizon });
          if (`${location.pathname}${location.search}` === next) void result.refetch();
          else void navigate(next);
        }}
      >
        <fieldset className="backtest-strategies">
          <legend>
            Strategies <span className="muted">(up to {MAX_STRATEGIES}; the first one picked is the reference the others are compared with)</span>
          </legend>
          {choices.length === 0 && <p className="muted">No strategy yet: create one under Strategies.</p>}
          <ul>
            {choices.map((c) => {
              const id = choiceId(c);
              const order = picked.indexOf(id);
              return (
                <li key={id}>
                  <label className={order >= 0 ? 'is-picked' : undefined}>
                    <input type="checkbox" checked={order >= 0} onChange={() => toggle(id)} disabled={order < 0 && picked.length >= MAX_STRATEGIES} />
                    <span>{c.label}</span>
                    {order >= 0 && <span className="backtest-order">{order === 0 ? 'reference' : `compared #${order}`}</span>}
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <div className="backtest-fields">
          <label className="work-field">
            Segment
            <select value={segment} onChange={(e) => setSegment(e.target.value)}>
              {options.collectionSegments.map((s) => (
                <option key={s.key} value={s.key}>
                  {s.name} ({s.key})
                </option>
              ))}
            </select>
          </label>
          <label className="work-field">
            First key date
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
          </label>
          <label className="work-field">
            Last key date
            <input type="date" value={to} max={lastKeyDate} onChange={(e) => setTo(e.target.value)} required />
          </label>
          <label className="work-field backtest-number">
            Every (days)
            <input type="number" min={1} max={366} value={every} onChange={(e) => setEvery(Number(e.target.value))} required />
          </label>
          <label className="work-field backtest-number">
            Horizon (days)
            <input type="number" min={1} max={365} value={horizon} onChange={(e) => setHorizon(Number(e.target.value))} required />
          </label>
          <button type="submit" className="button button-primary" disabled={result.loading || picked.length === 0 || !segment}>
            {result.loading ? 'Running the backtest…' : 'Run backtest'}
          </button>
        </div>
        <p className="muted backtest-hint">
          {keyDateCount > 0
            ? `${keyDateCount} key date${keyDateCount === 1 ? '' : 's'} × ${picked.length} strateg${picked.length === 1 ? 'y' : 'ies'}: each is scored like a preview, so a long range takes a while.`
            : 'Choose a range of key dates.'}{' '}
          The last key date plus the horizon must lie in the past: outcomes are only known once they happened.
        </p>
        {result.error && (
          <p className="work-error" role="alert">
            {errorMessage(result.error)}
          </p>
        )}
      </form>
      {result.loading && (
        <p className="muted" role="status">
          Scoring every key date and measuring what was paid afterwards…
        </p>
      )}
      {result.data && !result.loading && <BacktestResults backtest={result.data.backtestStrategies} />}
    </>
  );
}
