/** The desk's services, built together: operators, the customer lookup, the actions and the operators' API keys. */
import type { RelyingParty } from '../../crypto/webauthn';
import { WebauthnCeremonies } from '../passkeys/webauthn-ceremonies';
import type { Ports } from '../ports';
import { OperatorApiKeys } from './api-keys';
import { CustomerLookup } from './customer-view';
import { DeskActions } from './desk-actions';
import { OperatorService } from './operator-service';
import type { Services } from './services';
import type { CustomerStateReader } from '../support/customer-state';

export type Desk = ReturnType<typeof buildDesk>;

export function buildDesk(ports: Ports, rp: RelyingParty, s: Services & { customerState: CustomerStateReader }) {
  return {
    operators: new OperatorService(ports, new WebauthnCeremonies(ports, rp)),
    lookup: new CustomerLookup(ports, s.customerState),
    actions: new DeskActions(ports, s),
    apiKeys: new OperatorApiKeys(ports),
  };
}
