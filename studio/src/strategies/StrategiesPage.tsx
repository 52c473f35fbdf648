import type { ReactElement } from 'react';
import { StrategyList } from './StrategyList';
import { StrategyWorkspace } from './StrategyWorkspace';
import './strategies.css';

/** /strategies (the list) and /strategies/KEY (one strategy: build, compare, versions). */
export function StrategiesPage({ path }: { path: string }): ReactElement {
  const key = decodeURIComponent(path.replace(/^\/strategies\/?/, '').split('/')[0] ?? '');
  return key ? <StrategyWorkspace key={key} strategyKey={key} /> : <StrategyList />;
}
