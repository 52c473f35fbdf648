/** The customer 360, read by its page and by the partner panel of a worklist. */
import { graphql } from '../gql';
import type { StudioCustomerQuery } from '../gql/graphql';

export const OPEN_ITEM_FIELDS = graphql(`
  fragment OpenItemFields on OpenItem {
    id
    externalId
    companyCode
    documentDate
    dueDate
    amount
    openAmount
    currency
    daysOverdue
    disputed
    heldBy
    dunningLevel
    dunningBlock
  }
`);

export const CUSTOMER_QUERY = graphql(`
  query StudioCustomer($partnerId: ID, $externalId: String, $after: String, $explain: Boolean!) {
    customer(partnerId: $partnerId, externalId: $externalId) {
      partnerId
      asOf
      partner {
        id
        name
        externalId
        country
        currency
        customerType
        riskClass
        segment
        creditLimit
        collectionGroup
        specialist {
          id
          name
        }
      }
      credit {
        creditLimit
        currency
        openAmount
        overdueAmount
        riskClass
        utilizationPercent
        held {
          count
          amount
          placed
          legal
        }
      }
      keyFigures {
        daysSalesOutstanding
        keptPromiseRatio
        brokenPromises
        openPromises
        daysSinceLastContact
        daysSinceLastPayment
        maxDaysOverdue
        receivables
        sales90Days
      }
      aging {
        label
        fromDays
        toDays
        items
        amounts {
          currency
          amount
        }
        heldItems
        heldAmounts {
          currency
          amount
        }
      }
      openItems(first: 20, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
          node {
            ...OpenItemFields
          }
        }
      }
      payments(limit: 20) {
        id
        externalId
        paymentDate
        amount
        currency
        itemId
      }
      promises(limit: 20) {
        id
        externalId
        createdDate
        promisedDate
        amount
        paid
        currency
        status
        itemId
      }
      disputes(limit: 20) {
        id
        externalId
        createdDate
        disputedAmount
        currency
        status
        reason
        itemId
      }
      contacts(limit: 20) {
        id
        externalId
        contactDate
        contactTime
        channel
        direction
        reached
        result
      }
      resubmissions(limit: 20) {
        id
        resubmissionDate
        reason
        done
        due
      }
      dunningHistory {
        itemId
        externalId
        dueDate
        dunningLevel
        dunningBlock
        openAmount
        currency
      }
      worklistItem {
        ...WorkItemFields
        explanation @include(if: $explain) {
          asOf
          excluded
          exits
          facts
          rules {
            index
            name
            points
            role
            fired
            conditions
          }
        }
      }
    }
  }
`);

export type Customer = StudioCustomerQuery['customer'];

/**
 * How the customer kept their promises, as true as the figures allow: the kept share once some
 * promise was judged, else why there is no share yet ("none due yet" while promises are open),
 * and how many are still open.
 */
export function keptPromises(c: Customer): { share: string; open: string | null } {
  const { keptPromiseRatio: ratio, openPromises: open } = c.keyFigures;
  const share = ratio != null ? `${Math.round(ratio * 100)}%` : open > 0 ? 'none due yet' : c.promises.length ? 'none judged' : 'no promises';
  return { share, open: open > 0 ? `${open} open` : null };
}
