import { useEffect, useState, type ReactElement } from 'react';
import { useApolloClient, useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { graphql } from '../../gql';
import { setupSteps, type SetupFacts, type SetupStep } from './firstRun';
import './firstRun.css';

const SETUP_QUERY = graphql(`
  query StudioSetup {
    companyCodes {
      code
      active
    }
    collectionSegments {
      key
      name
      partners
    }
    collectionGroups {
      key
      name
      segment
      active
      specialistCount
      strategy
    }
    strategies(first: 200) {
      edges {
        node {
          key
          activeVersion {
            version
          }
        }
      }
    }
  }
`);

const LIVE_RUN_QUERY = graphql(`
  query StudioSegmentLiveRun($segment: String!) {
    worklistRun(segment: $segment) {
      id
      live
    }
  }
`);

/** Segment key -> whether it has a live run, once every segment has answered. */
function useLiveRuns(segments: string[]): Map<string, boolean> | null {
  const client = useApolloClient();
  const [runs, setRuns] = useState<{ for: string; live: Map<string, boolean> } | null>(null);
  const joined = segments.join(',');
  useEffect(() => {
    let current = true;
    const keys = joined ? joined.split(',') : [];
    Promise.all(keys.map((segment) => client.query({ query: LIVE_RUN_QUERY, variables: { segment }, fetchPolicy: 'network-only' })))
      .then((answers) => {
        if (current) setRuns({ for: joined, live: new Map(keys.map((k, i) => [k, answers[i]?.data?.worklistRun?.live === true])) });
      })
      .catch(() => undefined); // no verdict without an answer: the guide stays away
    return () => {
      current = false;
    };
  }, [client, joined]);
  return runs?.for === joined ? runs.live : null;
}

/** What is set up and what is missing before the first worklist; one line once all of it is done. */
export function FirstRunGuide(): ReactElement | null {
  const { data } = useQuery(SETUP_QUERY, { fetchPolicy: 'cache-and-network' });
  const segments = (data?.collectionSegments ?? []).filter((s) => s.partners > 0);
  const liveRuns = useLiveRuns(segments.map((s) => s.key));
  if (!data || !liveRuns) return null;
  const facts: SetupFacts = {
    companyCodes: data.companyCodes,
    segments,
    groups: data.collectionGroups,
    liveVersions: new Map(data.strategies.edges.map((e) => [e.node.key, e.node.activeVersion?.version ?? null])),
    liveRuns,
  };
  const steps = setupSteps(facts);
  if (steps.every((s) => s.done)) {
    return (
      <p className="setup-ready" role="status" aria-label="Setup">
        <span className="setup-mark is-done" aria-hidden="true">
          ✓
        </span>
        <b>Ready.</b> Organisation, active strategies and live worklists are set up for {segments.length} {segments.length === 1 ? 'segment' : 'segments'}.
      </p>
    );
  }
  return (
    <section className="card setup-guide" aria-labelledby="setup-title">
      <h2 id="setup-title">Before the first worklist</h2>
      <p className="muted">{steps.filter((s) => s.done).length} of 3 steps done. Each step links to where it is set up.</p>
      <ol className="setup-steps">
        {steps.map((s, i) => (
          <StepRow key={s.id} step={s} n={i + 1} />
        ))}
      </ol>
    </section>
  );
}

function StepRow({ step, n }: { step: SetupStep; n: number }): ReactElement {
  return (
    <li className={`setup-step${step.done ? ' is-done' : ' is-missing'}`} data-step={step.id} data-done={step.done}>
      <span className={`setup-mark${step.done ? ' is-done' : ''}`} aria-hidden="true">
        {step.done ? '✓' : n}
      </span>
      <div className="setup-body">
        <div className="setup-title">
          <b>{step.title}</b> <span className="setup-status">{step.done ? 'Done' : 'Missing'}</span>
        </div>
        <ul className="setup-notes">
          {step.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      </div>
      <Link className={`button${step.done ? '' : ' button-primary'}`} to={step.link.to}>
        {step.link.label}
      </Link>
    </li>
  );
}
