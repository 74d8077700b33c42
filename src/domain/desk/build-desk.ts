/** The desk's three services, built together: operators, the customer lookup and the actions. */
import type { RelyingParty } from '../../crypto/webauthn';
import type { SecurityService } from '../accounts/security-service';
import type { PasskeyExemptionService } from '../passkey-policy/exemption-service';
import { WebauthnCeremonies } from '../passkeys/webauthn-ceremonies';
import type { Ports } from '../ports';
import type { CustomerSessions } from '../sessions/customer-sessions';
import { OperatorApiKeys } from './api-keys';
import { CustomerLookup } from './customer-view';
import { DeskActions } from './desk-actions';
import { OperatorService } from './operator-service';
import type { Services } from './services';

export type Desk = ReturnType<typeof buildDesk>;

export function buildDesk(ports: Ports, rp: RelyingParty, s: Services & { security: SecurityService; customerSessions: CustomerSessions; passkeyExemptions: PasskeyExemptionService }) {
  return {
    operators: new OperatorService(ports, new WebauthnCeremonies(ports, rp)),
    lookup: new CustomerLookup(ports, s),
    actions: new DeskActions(ports, s),
    apiKeys: new OperatorApiKeys(ports),
  };
}
