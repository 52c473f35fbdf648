/**
 * The API token the studio sends as `Authorization: Bearer …`, kept in this browser's local
 * storage. `npm start` prints a link with `#token=…` on first start; opening it signs in and the
 * token leaves the address bar at once.
 */
const KEY = 'recoup.token';
const SIGNED_OUT = 'recoup:signed-out';

export function currentToken(): string | null {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (match) {
    localStorage.setItem(KEY, decodeURIComponent(match[1]!));
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return localStorage.getItem(KEY);
}

export function signIn(token: string): void {
  localStorage.setItem(KEY, token.trim());
}

export function signOut(reason?: string): void {
  localStorage.removeItem(KEY);
  window.dispatchEvent(new CustomEvent(SIGNED_OUT, { detail: reason }));
}

export function onSignedOut(listener: (reason?: string) => void): () => void {
  const handler = (event: Event) => listener((event as CustomEvent<string | undefined>).detail);
  window.addEventListener(SIGNED_OUT, handler);
  return () => window.removeEventListener(SIGNED_OUT, handler);
}
