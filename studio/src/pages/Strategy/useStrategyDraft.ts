import { useEffect, useMemo, useRef, useState } from 'react';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { useBlocker, useLocation, useNavigate, type Blocker, type Location } from 'react-router';
import { errorCode, errorMessage } from '../../lib/errors';
import { strategyKeyOf, strategyPath, type StrategyTab } from '../../lib/paths';
import { COPY_VERSION, STRATEGIES_QUERY } from '../../lib/strategies';
import { asStrategyDoc, type StrategyDoc } from '../../lib/strategyDocument';
import { UPDATE_DRAFT, type VersionFull } from './queries';

export interface StrategyDraft {
  doc: StrategyDoc;
  setDoc: (doc: StrategyDoc) => void;
  /** Whether the document differs from the version as last saved. */
  dirty: boolean;
  /** The revision the next save is based on. */
  revision: number;
  markSaved: (doc: StrategyDoc, revision: number) => void;
}

/** The document being edited, from the version opened: the edits, and whether they are saved. */
export function useStrategyDraft(version: VersionFull): StrategyDraft {
  const [doc, setDoc] = useState<StrategyDoc>(() => asStrategyDoc(version.document));
  const [saved, setSaved] = useState<string>(() => JSON.stringify(version.document));
  const [revision, setRevision] = useState(version.revision);
  const dirty = useMemo(() => JSON.stringify(doc) !== saved, [doc, saved]);
  const markSaved = (savedDoc: StrategyDoc, savedRevision: number) => {
    setRevision(savedRevision);
    setSaved(JSON.stringify(savedDoc));
  };
  return { doc, setDoc, dirty, revision, markSaved };
}

/** Whether a navigation leaves the document being edited: another page, strategy or version (not a tab). */
function leavesDocument(current: Location, next: Location): boolean {
  const versionOf = (location: Location) => new URLSearchParams(location.search).get('version');
  return strategyKeyOf(next.pathname) !== strategyKeyOf(current.pathname) || versionOf(next) !== versionOf(current);
}

/**
 * Unsaved edits are not lost by accident: closing the tab asks the browser's question, leaving
 * the document inside the studio (a link, Back, another version) asks ours (the blocker).
 * `allowLeaving` is called before the editor itself moves to the draft it just made from the edits.
 */
export function useLeaveGuard(dirty: boolean): { blocker: Blocker; allowLeaving: () => void } {
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  const leaving = useRef(false);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && !leaving.current && leavesDocument(currentLocation, nextLocation));
  const allowLeaving = () => {
    leaving.current = true;
  };
  return { blocker, allowLeaving };
}

/** Opens another version of the strategy, on the given tab or the current one, keeping the other search params. */
export function useOpenVersion(strategyKey: string, tab: StrategyTab): (versionNumber: number, on?: StrategyTab) => void {
  const navigate = useNavigate();
  const location = useLocation();
  return (versionNumber, on = tab) => {
    const params = new URLSearchParams(location.search);
    params.set('version', String(versionNumber));
    void navigate({ pathname: strategyPath(strategyKey, on), search: `?${params}` });
  };
}

/** A message that goes away after a few seconds. */
function useFlash(): [string | null, (message: string | null) => void] {
  const [flash, setFlash] = useState<string | null>(null);
  useEffect(() => {
    if (!flash) return;
    const t = setTimeout(() => setFlash(null), 3500);
    return () => clearTimeout(t);
  }, [flash]);
  return [flash, setFlash];
}

export interface SaveProblem {
  /** Someone else saved the draft first. */
  conflict: boolean;
  message: string;
}

const CONFLICT_MESSAGE =
  'Someone saved this draft while you were editing it. Your edits are still here; reload the latest draft to see theirs (your unsaved edits will be lost), or copy your JSON first.';

function saveProblem(err: unknown): SaveProblem {
  const conflict = errorCode(err) === 'CONFLICT';
  return { conflict, message: conflict ? CONFLICT_MESSAGE : errorMessage(err) };
}

export interface DraftSaving {
  save: () => Promise<void>;
  /** Copies the version open into a new draft and opens it in the builder. */
  newDraft: () => Promise<void>;
  saving: boolean;
  problem: SaveProblem | null;
  dismissProblem: () => void;
  /** "Draft vN saved", for a few seconds. */
  flash: string | null;
}

/**
 * Saving the edits: a draft is updated in place (at the revision it was opened at, so a save by
 * someone else in between is a conflict); any other version is copied into a new draft that
 * gets the edits and opens.
 */
export function useDraftSaving({
  version,
  draft,
  reload,
  openVersion,
  allowLeaving,
}: {
  version: VersionFull;
  draft: StrategyDraft;
  reload: () => Promise<void>;
  openVersion: (versionNumber: number, on?: StrategyTab) => void;
  allowLeaving: () => void;
}): DraftSaving {
  const client = useApolloClient();
  const [update] = useMutation(UPDATE_DRAFT);
  const [copy] = useMutation(COPY_VERSION);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<SaveProblem | null>(null);
  const [flash, setFlash] = useFlash();

  const saveInPlace = async () => {
    const r = await update({ variables: { input: { versionId: version.id, revision: draft.revision, document: draft.doc } } });
    const v = r.data!.updateStrategyDraft;
    draft.markSaved(draft.doc, v.revision);
    setFlash(`Draft v${v.version} saved (revision ${v.revision}).`);
    await client.refetchQueries({ include: [STRATEGIES_QUERY] });
  };
  const saveAsNewDraft = async () => {
    const c = await copy({ variables: { input: { versionId: version.id } } });
    const copied = c.data!.copyStrategyVersion;
    await update({ variables: { input: { versionId: copied.id, revision: copied.revision, document: draft.doc } } });
    await reload();
    allowLeaving();
    openVersion(copied.version);
  };

  const save = async () => {
    setSaving(true);
    setProblem(null);
    try {
      await (version.status === 'DRAFT' ? saveInPlace() : saveAsNewDraft());
    } catch (err) {
      setProblem(saveProblem(err));
    } finally {
      setSaving(false);
    }
  };
  const newDraft = async () => {
    try {
      const c = await copy({ variables: { input: { versionId: version.id } } });
      await reload();
      openVersion(c.data!.copyStrategyVersion.version, 'builder');
    } catch (err) {
      setProblem({ conflict: false, message: errorMessage(err) });
    }
  };
  return { save, newDraft, saving, problem, dismissProblem: () => setProblem(null), flash };
}
