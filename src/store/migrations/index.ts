/**
 * Schema migrations, in code so the package carries them (no files to find at run time), one
 * file per migration, applied in name order. Never edit a migration that has shipped: add one.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from './column-types';
import { foundation } from './0001-foundation';
import { totp } from './0002-totp';
import { passkeys } from './0004-passkeys';
import { addresses } from './0005-addresses';
import { sessionAccountCopy } from './0006-session-account-copy';
import { sessionChanges } from './0007-session-changes';
import { purgeAndDeviceSessions } from './0009-purge-and-device-sessions';
import { reauthentication } from './0010-reauthentication';
import { loginFlowMethods } from './0011-login-flow-methods';
import { countryExceptionsAndRiskCounters } from './0017-risk-signals';
import { stepUpGrants } from './0014-step-up-grants';
import { passwordRecovery } from './0016-password-recovery';
import { passkeyMigration } from './0012-passkey-migration';
import { sessionListAndNotices } from './0015-session-list-and-notices';
import { processHeartbeats } from './0020-process-heartbeats';
import { passwordChangeHold } from './0023-password-change-hold';
import { deskConsole } from './0018-desk-console';
import { oidc } from './0019-oidc';
import { operatorApiKeys } from './0021-operator-api-keys';
import { auditPlacesIndex } from './0024-audit-places-index';
import { sessionDeviceIndex } from './0025-session-device-index';

export type { Dialect } from './column-types';

export function migrationProvider(dialect: Dialect): MigrationProvider {
  const migrations: Record<string, Migration> = {
    '0001_foundation': foundation(dialect),
    '0002_totp': totp(dialect),
    '0004_passkeys': passkeys(dialect),
    // 0003 was reserved for this work on a branch that never landed; numbers only ever grow.
    '0005_addresses': addresses(dialect),
    '0006_session_account_copy': sessionAccountCopy(),
    '0007_session_changes': sessionChanges(dialect),
    '0009_purge_and_device_sessions': purgeAndDeviceSessions(dialect),
    '0010_reauthentication': reauthentication(dialect),
    '0011_login_flow_methods': loginFlowMethods(),
    '0017_risk_signals': countryExceptionsAndRiskCounters(dialect),
    '0014_step_up_grants': stepUpGrants(dialect),
    '0016_password_recovery': passwordRecovery(dialect),
    '0012_passkey_migration': passkeyMigration(dialect),
    '0015_session_list_and_notices': sessionListAndNotices(dialect),
    '0020_process_heartbeats': processHeartbeats(dialect),
    '0023_password_change_hold': passwordChangeHold(),
    '0018_desk_console': deskConsole(dialect),
    '0019_oidc': oidc(dialect),
    '0021_operator_api_keys': operatorApiKeys(dialect),
    '0024_audit_places_index': auditPlacesIndex(),
    '0025_session_device_index': sessionDeviceIndex(),
  };
  return { getMigrations: async () => migrations };
}
