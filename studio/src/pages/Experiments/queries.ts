import { graphql } from '../../gql';

export const EXPERIMENT_FIELDS = graphql(`
  fragment StudioExperimentFields on Experiment {
    id
    key
    group
    challengerStrategy
    challengerVersion
    challengerVersionId
    sharePercent
    shareBasisPoints
    startedOn
    startedBy
    endedOn
    endedBy
    outcome
    running
    runs
    latestRunAsOf
  }
`);

/** The groups with their strategy, and every strategy's versions: what may challenge what. */
export const EXPERIMENT_SETUP_QUERY = graphql(`
  query StudioExperimentSetup {
    collectionGroups {
      key
      name
      segment
      active
      strategy
    }
    strategies(first: 200) {
      edges {
        node {
          key
          name
          versions {
            id
            version
            status
            document
          }
        }
      }
    }
  }
`);

export const GROUP_EXPERIMENTS_QUERY = graphql(`
  query StudioGroupExperiments($group: String!) {
    experiments(group: $group, first: 20) {
      edges {
        node {
          ...StudioExperimentFields
          arms {
            arm
            partners
            share
            onLatestList
          }
        }
      }
    }
  }
`);

export const EXPERIMENT_RESULTS_QUERY = graphql(`
  query StudioExperimentResults($id: ID!, $horizonDays: Int) {
    experimentResults(id: $id, horizonDays: $horizonDays) {
      runs
      firstAsOf
      lastAsOf
      horizonDays
      currency
      confidence
      champion {
        ...StudioArmFigures
      }
      challenger {
        ...StudioArmFigures
      }
      differences {
        figure
        difference
        low
        high
        verdict
      }
    }
  }
`);

export const ARM_FIGURES = graphql(`
  fragment StudioArmFigures on ExperimentArmFigures {
    arm
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

export const START_EXPERIMENT = graphql(`
  mutation StudioStartExperiment($input: StartExperimentInput!) {
    startExperiment(input: $input) {
      ...StudioExperimentFields
    }
  }
`);

export const STOP_EXPERIMENT = graphql(`
  mutation StudioStopExperiment($id: ID!) {
    stopExperiment(id: $id) {
      ...StudioExperimentFields
    }
  }
`);

export const PROMOTE_EXPERIMENT = graphql(`
  mutation StudioPromoteExperiment($id: ID!) {
    promoteExperiment(id: $id) {
      ...StudioExperimentFields
    }
  }
`);
