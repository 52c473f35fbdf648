import { registerEnumType } from 'type-graphql';

/** The GraphQL arm of a champion/challenger experiment (experiments/ uses it through the worklists' index). */
export enum ExperimentArm {
  CHAMPION = 'CHAMPION',
  CHALLENGER = 'CHALLENGER',
}
registerEnumType(ExperimentArm, {
  name: 'ExperimentArm',
  description: 'The arm of a champion/challenger experiment a partner is in.',
  valuesConfig: {
    CHAMPION: { description: "Scored with the group's active strategy version." },
    CHALLENGER: { description: "Scored with the experiment's challenger version." },
  },
});
