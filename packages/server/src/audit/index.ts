/** The public entry of audit/: what other features and the composition root may use. */
export { AuditLogEntry } from './audit-log.entity';
export { AuditLogResolver } from './audit.resolver';
export { recordAudit, recordAudits } from './audit.service';
export type { Actor } from './audit.service';
