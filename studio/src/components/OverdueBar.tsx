import type { ReactElement } from 'react';
import { formatShare, share } from '../lib/format';

function level(value: number | undefined): 'none' | 'low' | 'mid' | 'high' {
  if (value === undefined || value === 0) return 'none';
  if (value < 0.1) return 'low';
  if (value < 0.25) return 'mid';
  return 'high';
}

/** The overdue share of open items as a small inline bar. */
export function OverdueBar({ overdue, open, suffix = '' }: { overdue: number; open: number; suffix?: string }): ReactElement {
  const value = share(overdue, open);
  const width = value === undefined ? 0 : Math.min(100, Math.max(value * 100, value > 0 ? 2 : 0));
  return (
    <div className={`overdue overdue-${level(value)}`}>
      <div
        className="overdue-track"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={value === undefined ? 0 : Math.round(value * 1000) / 10}
        aria-label="Overdue share of open items"
      >
        <div className="overdue-fill" style={{ width: `${width}%` }} />
      </div>
      <span className={`overdue-share ${suffix ? 'has-suffix' : ''}`}>
        {formatShare(value)}
        {suffix}
      </span>
    </div>
  );
}
