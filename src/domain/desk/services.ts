/** The services the desk calls to act on a customer: the support API's and the CLI's own. */
import type { TradingPasswordService } from '../accounts/trading-password';
import type { LoginService } from '../login/login-service';
import type { PasskeyExemptionService } from '../passkey-policy/exemption-service';
import type { PasskeyService } from '../passkeys/passkey-service';
import type { DeskPasswordReset } from '../recovery/desk-reset';
import type { SessionService } from '../sessions/session-service';
import type { TotpService } from '../totp/totp-service';
import type { Brand } from '../context';
import type { RiskDesk } from '../risk/risk-desk';

export interface Services {
  brand: Brand;
  totp: TotpService;
  passkeys: PasskeyService;
  login: LoginService;
  tradingPassword: TradingPasswordService;
  deskReset: DeskPasswordReset;
  passkeyExemptions: PasskeyExemptionService;
  sessions: SessionService;
  riskDesk: RiskDesk;
}
