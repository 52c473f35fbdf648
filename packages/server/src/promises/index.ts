/** The public entry of promises/: what other features and the composition root may use. */
export { judgeAll, judgeInstallmentsWhere, judgePromisesWhere } from './promise-judging.service';
export type { Judged } from './promise-judging.service';
export { promiseStatusSql } from './promise-status';
export { PromiseToPay } from './promise.entity';
export { PromiseResolver } from './promise.resolver';
export { createPromises } from './promise-api.service';
