import type { ReactElement } from 'react';

/** Renders `backticked` fragments of a message as inline code. */
export function RichText({ text }: { text: string }): ReactElement {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</>;
}
