interface Connection {
  edges: readonly unknown[];
}

/**
 * fetchMore's updateQuery for a Relay connection at `field`: the next page's edges after the ones
 * already shown (its pageInfo and the rest of the answer replace the old ones), for every "Show more" list.
 */
export function appendPage<K extends string>(field: K) {
  return <T extends { [key in K]: Connection }>(previous: T, { fetchMoreResult }: { fetchMoreResult: T }): T => ({
    ...fetchMoreResult,
    [field]: { ...fetchMoreResult[field], edges: [...previous[field].edges, ...fetchMoreResult[field].edges] },
  });
}
