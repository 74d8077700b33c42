/**
 * The catalogs of the features added after the first screens, each in its own file (Japanese and
 * English side by side), gathered here so that ja.ts and en.ts take them in one line each.
 */
import { enPasskeyPolicy, jaPasskeyPolicy } from './passkey-policy';
import { enPasskeyRegistration, jaPasskeyRegistration } from './passkey-registration';
import { enRecovery, jaRecovery } from './recovery';
import { enRisk, jaRisk } from './risk';
import { enSessions, jaSessions } from './sessions';
import { enStepUp, jaStepUp } from './step-up';
import { enUnreadableSecret, jaUnreadableSecret } from './unreadable-secret';
import { enDesk, jaDesk } from './desk';
import { enOidc, jaOidc } from './oidc';

export const jaFeatures = { ...jaStepUp, ...jaRecovery, ...jaPasskeyPolicy, ...jaSessions, ...jaPasskeyRegistration, ...jaRisk, ...jaUnreadableSecret, ...jaDesk, ...jaOidc } as const;

export const enFeatures: Record<keyof typeof jaFeatures, string> = { ...enStepUp, ...enRecovery, ...enPasskeyPolicy, ...enSessions, ...enPasskeyRegistration, ...enRisk, ...enUnreadableSecret, ...enDesk, ...enOidc };
