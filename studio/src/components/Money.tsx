import type { ReactElement } from 'react';
import { formatMoneyParts, type MoneyAmount } from '../lib/format';

function byCurrency(amounts: MoneyAmount[]): MoneyAmount[] {
  return [...amounts].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** An amount with its currency code set apart, e.g. "EUR 1,234.50". */
export function Money({ amount, currency }: MoneyAmount): ReactElement {
  return (
    <span className="money" title={`${amount} ${currency}`}>
      {formatMoneyParts(amount, currency).map((part, i) =>
        part.type === 'currency' ? (
          <span key={i} className="money-cur">
            {part.value}
          </span>
        ) : (
          part.value
        ),
      )}
    </span>
  );
}

/** One line per currency; amounts in different currencies are never added up. */
export function MoneyList({ amounts }: { amounts: MoneyAmount[] }): ReactElement {
  if (amounts.length === 0) return <span className="muted">–</span>;
  return (
    <ul className="money-list">
      {byCurrency(amounts).map((m) => (
        <li key={m.currency}>
          <Money {...m} />
        </li>
      ))}
    </ul>
  );
}

/** The figure without its currency code (and the space that separated them). */
function figureOnly(parts: Intl.NumberFormatPart[]): string {
  return parts
    .filter((part, i) => {
      if (part.type === 'currency') return false;
      const nextToCurrency = parts[i - 1]?.type === 'currency' || parts[i + 1]?.type === 'currency';
      return !(part.type === 'literal' && nextToCurrency && part.value.trim() === '');
    })
    .map((part) => part.value)
    .join('');
}

/** Open amounts as key figures: one cell per currency, the code as a label above. */
export function MoneyFigures({ amounts }: { amounts: MoneyAmount[] }): ReactElement {
  if (amounts.length === 0) return <p className="muted">Nothing is open.</p>;
  return (
    <ul className="money-figures">
      {byCurrency(amounts).map(({ currency, amount }) => (
        <li key={currency} title={`${amount} ${currency}`}>
          <span className="money-figure-cur">{currency}</span>
          <span className="money-figure-amount">{figureOnly(formatMoneyParts(amount, currency))}</span>
        </li>
      ))}
    </ul>
  );
}
