/**
 * A page's code that could not be loaded. Pages other than the strategy pages are chunks fetched
 * when first visited; after a redeploy the open tab still asks for the earlier build's chunks,
 * which are gone (the server answers 404), so the page can only come back with a reload.
 */
export class PageLoadError extends Error {
  constructor(cause: unknown) {
    super(`The page's code could not be loaded (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    this.name = 'PageLoadError';
  }
}
