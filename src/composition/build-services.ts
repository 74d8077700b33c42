/**
 * Builds the domain services from ports and configuration: the one list of services. A new
 * service is its import, one line constructing it, and its name in the returned object (the
 * Services type follows). Used by open-runtime.ts, so by the server, the CLI and the tests, which
 * pass their own clock, SMTP server and database.
 */
import type { Config } from '../config';
import { AccountService } from '../domain/accounts/account-service';
import { DeviceService } from '../domain/devices/device-service';
import { LoginThrottle } from '../domain/login/throttle';
import { LoginService } from '../domain/login/login-service';
import type { Ports } from '../domain/ports';
import { SessionService } from '../domain/sessions/session-service';
import { TradingPasswordService } from '../domain/accounts/trading-password';
import { TotpService } from '../domain/totp/totp-service';
import { PasskeyService } from '../domain/passkeys/passkey-service';
import { WebauthnCeremonies } from '../domain/passkeys/webauthn-ceremonies';
import { AddressService } from '../domain/addresses/address-service';
import { SecurityService } from '../domain/accounts/security-service';
import { SupportAccess } from '../domain/support/support-access';
import { ReauthenticationService } from '../domain/reauthentication/reauthentication-service';
import { Operations } from '../domain/operations/operations';
import { LoginRisk } from '../domain/risk/login-risk';
import { RiskDesk } from '../domain/risk/risk-desk';
import { riskNetworkLookup } from '../geo/risk-lookup';
import type { ShippedNetworkLookup } from '../geo/risk-lookup';
import { StepUpService } from '../domain/step-up/step-up-service';
import { PasswordResetService } from '../domain/recovery/password-reset-service';
import { DeskPasswordReset } from '../domain/recovery/desk-reset';
import { LoginIdReminder } from '../domain/recovery/login-id-reminder';
import { PasskeyRequirements } from '../domain/passkey-policy/passkey-requirements';
import { PasskeyExemptionService } from '../domain/passkey-policy/exemption-service';
import { PasskeyAnnouncement } from '../domain/passkey-policy/announcement';
import { CustomerSessions } from '../domain/sessions/customer-sessions';
import { CustomerStateReader } from '../domain/support/customer-state';
import { ServingProcesses } from '../domain/operations/serving-processes';
import { SealedSecrets } from '../domain/operations/sealed-secrets';
import { buildDesk } from '../domain/desk/build-desk';
import { OidcServices } from '../domain/oidc/oidc-services';

export type Services = ReturnType<typeof buildServices>;

export function buildServices(ports: Ports, config: Config, opts: { sleep?: (ms: number) => Promise<void>; networks?: ShippedNetworkLookup } = {}) {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const brand = config.brand;
  const sessions = new SessionService(ports, config.session);
  const devices = new DeviceService(ports, config.device);
  const throttle = new LoginThrottle({ store: ports.store, clock: ports.clock, sleep }, config.throttle);
  const ceremonies = new WebauthnCeremonies(ports, config.relyingParty);
  const networks = opts.networks ?? riskNetworkLookup(config.risk);
  const risk = new LoginRisk({ ports, brand, sessions, lookup: networks, rules: config.risk, windowMinutes: config.throttle.windowMinutes });
  // The phishing-resistant migration (docs/configuration.md): the date, exemptions, the announcement.
  const passkeyRequirements = new PasskeyRequirements(ports, { policy: config.login.passkeyPolicy, requiredFrom: config.passkeys.requiredFrom });
  const passkeyExemptions = new PasskeyExemptionService(ports, { brand, sessions });
  const passkeyAnnouncement = new PasskeyAnnouncement(ports, { brand, requirements: passkeyRequirements });
  const login = new LoginService(ports, { sessions, devices, throttle, brand, ceremonies, passkeyRequirements, risk }, { ...config.login, noticeAfterFailures: config.loginNotices.afterFailures });
  const accounts = new AccountService(ports);
  const tradingPassword = new TradingPasswordService(ports, brand, config.login.passkeyPolicy, config.passkeys.stepUpMaxAgeSeconds);
  // A change to how the customer logs in is confirmed with a code under the login code's rules (docs/requirements.md R-CHANGE-2, R-CODE-1).
  const reauthentication = new ReauthenticationService(ports, { brand, tradingPassword, throttle }, config.login);
  const totp = new TotpService(ports, { brand, tradingPassword, reauthentication }, config.totp);
  const passkeys = new PasskeyService(ports, { brand, sessions, ceremonies, reauthentication, coolingOffHours: config.passkeys.coolingOffHours });
  // An address is proved with the same code rules as a login (docs/requirements.md R-ADDR-3, R-CODE-1): 6 digits, 10 minutes, 5 tries.
  const addresses = new AddressService(ports, { brand, tradingPassword, reauthentication }, config.login);
  const security = new SecurityService(ports, { brand, reauthentication, sessions, networks });
  const support = new SupportAccess(ports);
  const passwordReset = new PasswordResetService(ports, { brand, throttle, tradingPassword, sessions, ceremonies }, { ...config.passwordReset, passkeyPolicy: config.login.passkeyPolicy, flowTtlSeconds: config.login.flowTtlSeconds, codeMaxAttempts: config.login.codeMaxAttempts });
  const deskReset = new DeskPasswordReset(ports, { brand, throttle, reset: passwordReset, sessions });
  const loginIdReminder = new LoginIdReminder(ports, { brand, throttle }, config.passwordReset.identifier);
  const customerSessions = new CustomerSessions(ports, sessions);
  const stepUp = new StepUpService(ports, { sessions, ceremonies, reauthentication }, { coolingOffHours: config.passkeys.coolingOffHours, maxAgeSeconds: config.passkeys.stepUpMaxAgeSeconds });
  const customerState = new CustomerStateReader(ports, { throttle, passkeys, security, customerSessions, passkeyExemptions });
  // The support desk's console (r18-console): operators, lookup, actions with four-eyes.
  const riskDesk = new RiskDesk(ports, networks);
  const desk = buildDesk(ports, config.desk.relyingParty, { brand, totp, passkeys, login, tradingPassword, deskReset, passkeyExemptions, sessions, riskDesk, customerState });
  return {
    desk,
    ports, brand, sessions, devices, throttle, login, accounts, tradingPassword, totp, passkeys, addresses, security, support, reauthentication, operations: new Operations(ports),
    passwordReset, deskReset, loginIdReminder, passkeyRequirements, passkeyExemptions, passkeyAnnouncement, customerSessions, stepUp, customerState, servingProcesses: new ServingProcesses(ports),
    networks, riskDesk,
    oidc: new OidcServices(ports, accounts, config.oidc),
    sealedSecrets: new SealedSecrets(ports),
  };
}
