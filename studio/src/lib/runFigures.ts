import { graphql } from '../gql';

/**
 * The figures of a worklist, per band and per specialist, as a run and a preview both report
 * them: one selection, spread in the runs page and the strategy preview.
 */
export const PRIORITY_FIGURE_FIELDS = graphql(`
  fragment StudioPriorityFigureFields on PriorityFigure {
    priority
    count
    amountToBeCollected
  }
`);

export const SPECIALIST_LOAD_FIELDS = graphql(`
  fragment StudioSpecialistLoadFields on SpecialistLoad {
    specialistId
    specialist {
      name
    }
    count
    amountToBeCollected
  }
`);
