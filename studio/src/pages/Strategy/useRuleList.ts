import { useState } from 'react';
import { moveItem, removeAt, type Rule, type StrategyDoc } from '../../lib/strategyDocument';
import type { ValidationError } from './queries';

export interface RuleList {
  rules: Rule[];
  isOpen: (i: number) => boolean;
  toggle: (i: number) => void;
  /** Appends a rule, opens it and scrolls to it. */
  add: (rule: Rule) => void;
  change: (i: number, rule: Rule) => void;
  remove: (i: number) => void;
  move: (i: number, by: number) => void;
}

/** The rule numbers the errors are about. */
function rulesWithErrors(errors: ValidationError[]): Set<number> {
  return new Set(
    errors
      .map((e) => /^rules\[(\d+)\]/.exec(e.path)?.[1])
      .filter(Boolean)
      .map(Number),
  );
}

/**
 * The document's rules and which of them are open: a few rules start open, many start closed,
 * and a rule with a problem opens so the problem is seen at its node.
 */
export function useRuleList(doc: StrategyDoc, setDoc: (d: StrategyDoc) => void, errors: ValidationError[]): RuleList {
  const rules = Array.isArray(doc.rules) ? doc.rules : [];
  const setRules = (next: Rule[]) => setDoc({ ...doc, rules: next });
  const [open, setOpen] = useState<Set<number>>(() => new Set(rules.length <= 3 ? rules.map((_, i) => i) : []));

  // Once per new set of errors (the rule can be closed again). Adjusted while rendering, as React
  // advises for state that follows a prop.
  const [seenErrors, setSeenErrors] = useState(errors);
  if (seenErrors !== errors) {
    setSeenErrors(errors);
    const bad = rulesWithErrors(errors);
    if ([...bad].some((i) => !open.has(i))) setOpen(new Set([...open, ...bad]));
  }

  return {
    rules,
    isOpen: (i) => open.has(i),
    toggle: (i) => {
      const n = new Set(open);
      if (n.has(i)) n.delete(i);
      else n.add(i);
      setOpen(n);
    },
    add: (rule) => {
      setRules([...rules, rule]);
      setOpen(new Set([...open, rules.length]));
      setTimeout(() => document.querySelector(`[data-rule="${rules.length}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' }), 50);
    },
    change: (i, rule) => setRules(rules.map((x, j) => (j === i ? rule : x))),
    remove: (i) => {
      setRules(removeAt(rules, i));
      setOpen(new Set([...open].filter((j) => j !== i).map((j) => (j > i ? j - 1 : j))));
    },
    move: (i, by) => setRules(moveItem(rules, i, i + by)),
  };
}
