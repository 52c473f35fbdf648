import { graphql } from '../../gql';

/** What the filter bar offers; a SPECIALIST may not list groups (errorPolicy all keeps the rest). */
export const ANALYTICS_OPTIONS = graphql(`
  query StudioAnalyticsOptions {
    collectionSegments {
      key
      name
    }
    collectionGroups {
      key
      name
    }
    specialists {
      id
      name
    }
    companyCodes {
      code
      name
    }
  }
`);

/** KPI tiles, the KPI time series and the ageing bars: one series (not grouped). */
export const ANALYTICS_KPIS = graphql(`
  query StudioAnalyticsKpis($filter: AnalyticsFilter!, $granularity: AnalyticsGranularity) {
    analyticsKpis(filter: $filter, granularity: $granularity) {
      currency
      ageingBuckets
      series {
        buckets {
          start
          end
          days
          dsoAverage
          dsoCountBack
          add
          cei
          closingReceivables
          ageing {
            bucket
            amount
          }
        }
      }
    }
  }
`);

export const PROMISE_FIGURES = graphql(`
  fragment StudioPromiseFigures on PromiseFigures {
    group {
      key
      label
    }
    made {
      count
      amount
    }
    kept {
      count
      amount
    }
    partiallyKept {
      count
      amount
    }
    broken {
      count
      amount
    }
    open {
      count
      amount
    }
    cancelled {
      count
      amount
    }
    keptPercent
    promisedAmount
    paidAmount
  }
`);

/** The promise funnel: promises made in the period and their outcomes. */
export const ANALYTICS_PROMISES = graphql(`
  query StudioAnalyticsPromises($filter: AnalyticsFilter!) {
    analyticsPromises(filter: $filter) {
      asOf
      currency
      rows {
        ...StudioPromiseFigures
      }
    }
  }
`);

/** The specialist table: promise outcomes per specialist. */
export const ANALYTICS_SPECIALIST_PROMISES = graphql(`
  query StudioAnalyticsSpecialistPromises($filter: AnalyticsFilter!) {
    analyticsPromises(filter: $filter, groupBy: SPECIALIST, first: 100) {
      asOf
      currency
      totalGroups
      rows {
        ...StudioPromiseFigures
      }
    }
  }
`);

/** The specialist table's sparklines: CEI per time bucket per specialist. */
export const ANALYTICS_SPECIALIST_CEI = graphql(`
  query StudioAnalyticsSpecialistCei($filter: AnalyticsFilter!, $granularity: AnalyticsGranularity) {
    analyticsKpis(filter: $filter, granularity: $granularity, groupBy: SPECIALIST, first: 100) {
      series {
        group {
          key
          label
        }
        buckets {
          start
          cei
        }
      }
    }
  }
`);
