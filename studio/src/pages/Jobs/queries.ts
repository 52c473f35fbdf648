import { graphql } from '../../gql';

/** The jobs page's reads and writes (named Studio… so codegen types them). */
export const JOBS_QUERY = graphql(`
  query StudioJobs($state: JobState, $after: String) {
    jobs(state: $state, first: 25, after: $after) {
      edges {
        node {
          id
          type
          segment
          state
          cycleDate
          attempts
          maxAttempts
          createdAt
          startedAt
          finishedAt
          durationSeconds
          error
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
    jobCounts {
      state
      count
    }
  }
`);

export const RETRY_JOB = graphql(`
  mutation StudioRetryJob($id: ID!) {
    retryJob(id: $id) {
      id
      state
      attempts
      maxAttempts
    }
  }
`);

export const CANCEL_JOB = graphql(`
  mutation StudioCancelJob($id: ID!) {
    cancelJob(id: $id) {
      id
      state
      finishedAt
    }
  }
`);

export const SCHEDULE_QUERY = graphql(`
  query StudioCycleSchedule {
    cycleSchedule {
      step
      cron
      timeZone
      dependsOn
      enabled
      updatedAt
      nextRunAt
    }
  }
`);

export const SAVE_SCHEDULE = graphql(`
  mutation StudioSaveCycleSchedule($input: [CycleStepInput!]!) {
    saveCycleSchedule(input: $input) {
      step
      cron
      timeZone
      dependsOn
      enabled
      updatedAt
      nextRunAt
    }
  }
`);

export const CYCLE_RUNS_QUERY = graphql(`
  query StudioCycleRuns {
    cycleRuns(days: 7) {
      cycleDate
      step
      state
      jobId
      dueAt
      finishedAt
      error
    }
  }
`);
