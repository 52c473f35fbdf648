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
      group
    }
    companyCodes {
      code
      name
    }
    strategies(first: 200) {
      edges {
        node {
          key
          name
        }
      }
    }
  }
`);

/** The collection groups a SUPERVISOR token's figures are limited to (null: the department). */
export const ANALYTICS_SCOPE_GROUPS = graphql(`
  query StudioAnalyticsScopeGroups {
    me {
      role
      groups
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
    averageDaysLate
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

/** Promise outcomes per unit of the chosen grouping. */
export const ANALYTICS_PROMISES_GROUPED = graphql(`
  query StudioAnalyticsPromisesGrouped($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
    analyticsPromises(filter: $filter, groupBy: $groupBy, first: 100) {
      asOf
      currency
      totalGroups
      rows {
        ...StudioPromiseFigures
      }
    }
  }
`);

/** Open items at the key date (filter.to) by organisational unit. */
export const ANALYTICS_OPEN_ITEMS = graphql(`
  query StudioAnalyticsOpenItems($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
    analyticsOpenItems(filter: $filter, groupBy: $groupBy, first: 100) {
      asOf
      currency
      ageingBuckets
      totalGroups
      rows {
        group {
          key
          label
        }
        partners
        openItems
        openAmount
        overdueItems
        overdueAmount
        ageing {
          bucket
          amount
        }
      }
    }
  }
`);

/** Contacts by channel, direction and result, reach rate and contacts per promise (one row, or per unit). */
export const ANALYTICS_CONTACTS = graphql(`
  query StudioAnalyticsContacts($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
    analyticsContacts(filter: $filter, groupBy: $groupBy, first: 100) {
      from
      to
      totalGroups
      rows {
        group {
          key
          label
        }
        contacts
        reached
        reachPercent
        promisesObtained
        contactsPerPromise
        byChannel {
          key
          contacts
          reached
          reachPercent
        }
        byDirection {
          key
          contacts
          reached
          reachPercent
        }
        byResult {
          key
          contacts
          reached
          reachPercent
        }
      }
    }
  }
`);

/** Disputes over time, resolved by resolution and root cause, days to resolve (one series, or per unit). */
export const ANALYTICS_DISPUTES = graphql(`
  query StudioAnalyticsDisputes($filter: AnalyticsFilter!, $granularity: AnalyticsGranularity, $groupBy: AnalyticsGroupBy) {
    analyticsDisputes(filter: $filter, granularity: $granularity, groupBy: $groupBy, first: 100) {
      currency
      totalGroups
      series {
        group {
          key
          label
        }
        resolved
        resolvedAmount
        averageDaysToResolve
        byResolution {
          key
          count
          amount
          averageDaysToResolve
        }
        byRootCause {
          key
          count
          amount
          averageDaysToResolve
        }
        buckets {
          start
          end
          opened
          openedAmount
          resolved
          resolvedAmount
          averageDaysToResolve
          openAtEnd
          disputedAmountAtEnd
        }
      }
    }
  }
`);

/** Live runs in the period: partners and amounts per band, items completed and reassigned, share worked within 1, 3 and 7 days. */
export const ANALYTICS_WORKLISTS = graphql(`
  query StudioAnalyticsWorklists($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
    analyticsWorklists(filter: $filter, groupBy: $groupBy, first: 500) {
      currency
      totalRows
      rows {
        runId
        asOf
        segment
        group {
          key
          label
        }
        partners
        amountToBeCollected
        completed
        reassigned
        within {
          days
          worked
          workedPercent
          contacted
          promised
          disputed
          resubmitted
        }
        bands {
          priority
          partners
          amountToBeCollected
          completed
          reassigned
        }
      }
    }
  }
`);

/** Commission of the period as it computes now, per specialist, with the rule. */
export const ANALYTICS_COMMISSION = graphql(`
  query StudioAnalyticsCommission($filter: AnalyticsFilter!, $withinDays: Int) {
    analyticsCommission(filter: $filter, withinDays: $withinDays) {
      currency
      from
      to
      rule
      withinDays
      total
      lines {
        specialist {
          key
          label
        }
        partners
        payments
        amount
      }
    }
  }
`);

/** The commission per calendar month of the period, in one query. */
export const ANALYTICS_COMMISSION_BY_MONTH = graphql(`
  query StudioAnalyticsCommissionByMonth($filter: AnalyticsFilter!, $withinDays: Int) {
    analyticsCommissionByPeriod(filter: $filter, withinDays: $withinDays, granularity: MONTH) {
      currency
      periods {
        from
        to
        total
        lines {
          specialist {
            key
            label
          }
          partners
          payments
          amount
        }
      }
    }
  }
`);

export const CLOSED_SETTLEMENT = graphql(`
  fragment StudioClosedSettlement on ClosedCommissionSettlement {
    id
    from
    to
    currency
    withinDays
    rule
    total
    groups
    closedAt
    closedBy
    lines {
      specialist {
        key
        label
      }
      partners
      payments
      amount
    }
  }
`);

/** Closed (frozen) settlements, newest period first. */
export const COMMISSION_SETTLEMENTS = graphql(`
  query StudioCommissionSettlements {
    commissionSettlements(first: 50) {
      ...StudioClosedSettlement
    }
  }
`);

/** Freezes the period's settlement as it computes now (audited). */
export const CLOSE_COMMISSION_SETTLEMENT = graphql(`
  mutation StudioCloseCommissionSettlement($from: Date!, $to: Date!, $currency: String!, $withinDays: Int) {
    closeCommissionSettlement(from: $from, to: $to, currency: $currency, withinDays: $withinDays) {
      ...StudioClosedSettlement
    }
  }
`);

/** Agency placements per agency and placement month (and the chosen grouping): placed vs recovered. */
export const ANALYTICS_AGENCIES = graphql(`
  query StudioAnalyticsAgencies($filter: AnalyticsFilter!, $groupBy: AnalyticsGroupBy) {
    analyticsAgencies(filter: $filter, groupBy: $groupBy, first: 100) {
      currency
      groupBy
      totalGroups
      rows {
        agency
        agencyName
        placementMonth
        group {
          key
          label
        }
        placements
        placedAmount
        recoveredAmount
        recoveryRate
        daysToFirstPayment
        commissionDue
      }
    }
  }
`);
