import { graphql } from '../../gql';

/** What the form offers: segments and every strategy with its versions (live, drafts, retired). */
export const BACKTEST_OPTIONS = graphql(`
  query StudioBacktestOptions {
    collectionSegments {
      key
      name
    }
    strategies(first: 200) {
      edges {
        node {
          key
          name
          versions {
            version
            status
          }
        }
      }
    }
  }
`);

export const OUTCOME_FIGURES = graphql(`
  fragment StudioOutcomeFigures on OutcomeFigures {
    partners
    toBeCollected
    collected
    collectedShare
    cureRate
    rollRate
    promisesBroken
    captureAtCapacity
    capacity
    auc
  }
`);

export const FIGURE_DIFFERENCE = graphql(`
  fragment StudioFigureDifference on BacktestComparison {
    label
    against
    differences {
      figure
      difference
      low
      high
      verdict
    }
  }
`);

export const BACKTEST_QUERY = graphql(`
  query StudioBacktest($input: BacktestInput!) {
    backtestStrategies(input: $input) {
      segment
      horizonDays
      keyDates
      capacity
      capacitySource
      resamples
      confidence
      strategies {
        label
        strategyKey
        version
        currency
        pooled {
          list {
            ...StudioOutcomeFigures
          }
          byBand {
            priority
            figures {
              ...StudioOutcomeFigures
            }
          }
          oldestDebtFirst {
            ...StudioOutcomeFigures
          }
          largestAmountFirst {
            ...StudioOutcomeFigures
          }
        }
        keyDates {
          asOf
          list {
            collectedShare
          }
          byBand {
            priority
            figures {
              collectedShare
            }
          }
        }
        versusBaselines {
          ...StudioFigureDifference
        }
      }
      comparisons {
        ...StudioFigureDifference
      }
    }
  }
`);
