/**
 * Rules in words, the same on the customer 360, the strategy preview and the worklist panel:
 * each rule's conditions as sentences from the fact and operator registries, each marked
 * holds / does not hold. The sentences are built here, in the user's locale.
 */
import type { ReactElement } from 'react';
// The module itself, not the package index: the index pulls json-rules-engine into the bundle.
import { factValueInWords, ruleInWords, type ConditionSentence } from '@recoup/rules/src/sentences';
import './rule-words.css';

/** A rule as the API explains it (`RuleExplanation`); `conditions` is the JSON condition tree. */
export interface ExplainedRule {
  name: string;
  role: string;
  points: number;
  fired: boolean;
  conditions?: unknown;
}

// undefined: the browser's locale, as every amount of the studio (lib/format.ts).
const LOCALE = undefined;

/** The rules, fired first, each with its conditions in words. */
export function RuleWordsList({ rules, currency, label = 'Rules' }: { rules: readonly ExplainedRule[]; currency: string; label?: string }): ReactElement {
  const ordered = [...rules.filter((r) => r.fired), ...rules.filter((r) => !r.fired)];
  return (
    <ul className="rule-words" aria-label={label}>
      {ordered.map((r) => (
        <RuleWords key={r.name} rule={r} currency={currency} />
      ))}
    </ul>
  );
}

function RuleWords({ rule, currency }: { rule: ExplainedRule; currency: string }): ReactElement {
  const words = rule.conditions ? ruleInWords(rule.conditions, { currency, locale: LOCALE }) : undefined;
  return (
    <li className={`rule-words-rule${rule.fired ? ' is-fired' : ''}`} data-fired={rule.fired}>
      <div className="rule-words-head">
        <span className="rule-words-dot" aria-hidden="true" />
        <span className="rule-words-name">{rule.name}</span>
        <span className="rule-words-sr">{rule.fired ? ' fired' : ' did not fire'}</span>
        <b className={rule.points < 0 ? 'is-negative' : undefined}>{rule.role === 'exit' ? 'exit' : `${rule.points > 0 ? '+' : ''}${rule.points}`}</b>
      </div>
      {words && (
        <ul className="rule-words-conds">
          <Sentence sentence={words} />
        </ul>
      )}
    </li>
  );
}

function Sentence({ sentence: s }: { sentence: ConditionSentence }): ReactElement {
  return (
    <li className={s.holds ? 'holds' : 'fails'} data-holds={s.holds}>
      <span className="rule-words-mark" aria-hidden="true">
        {s.holds ? '✓' : '✗'}
      </span>
      <span className="rule-words-text">
        {s.claim}
        {s.actual !== undefined && (
          <>
            : <span className="rule-words-actual">{s.actual}</span>
          </>
        )}
        <span className="rule-words-sr">{s.holds ? ' (holds)' : ' (does not hold)'}</span>
      </span>
      {s.children.length > 0 && (
        <ul>
          {s.children.map((c, i) => (
            <Sentence key={i} sentence={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** The fact values the rules read, labelled in words (params included) and formatted in their unit. */
export function FactValuesInWords({ facts, currency, className }: { facts: Record<string, unknown>; currency: string; className?: string }): ReactElement {
  return (
    <dl className={`rule-words-facts${className ? ` ${className}` : ''}`} aria-label="Fact values">
      {Object.entries(facts).map(([key, value]) => {
        const words = factValueInWords(key, value, { currency, locale: LOCALE });
        return (
          <div key={key}>
            <dt title={key}>{words.label}</dt>
            <dd>{words.value}</dd>
          </div>
        );
      })}
    </dl>
  );
}
