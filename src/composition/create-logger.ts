/** The process's JSON logger (pino), with every path that could hold a secret redacted. */
import pino, { type Logger } from 'pino';
import type { Config } from '../config';

/** Paths pino never writes: secrets stay out of logs (docs/requirements.md R-SECRET-2). */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.loginPassword',
  '*.tradingPassword',
  '*.code',
  '*.token',
  '*.sessionToken',
  '*.deviceToken',
  '*.totpSecret',
  '*.secret',
  'body',
  'text',
];

export function createLogger(config: Config, destination?: NodeJS.WritableStream): Logger {
  return pino(
    { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' }, base: { service: 'mamori' } },
    destination as pino.DestinationStream | undefined,
  );
}
