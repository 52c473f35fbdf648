/** The public entry of dunning/: what other features and the composition root may use. */
export {
  CorrespondenceAddress,
  DunningExclusion,
  DunningLevel,
  DunningNotice,
  DunningNoticeItem,
  DunningProcedure,
  DunningRun,
  DunningTemplate,
} from './dunning.entity';
export { DunningNoticeResolver, DunningResolver } from './dunning.resolver';
export { deliverEmails, runDunning, smtpTransport } from './dunning.service';
