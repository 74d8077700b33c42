/**
 * The login flow as JSON, for the brokerage's mobile app: the same flow, strategies and errors as
 * the browser pages, every method included (e-mailed code, TOTP, recovery code, passkey, and
 * switching between them). The app keeps the session and device tokens itself (no cookies).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors';
import type { CompletedLogin, LoginContext, LoginStep, SecondStep, SecondStepMethod } from '../../domain/login/login-service';
import { isCompleted } from '../../domain/login/login-types';
import type { WebDeps } from '../request-context';
import { loginContext } from '../request-context';
import { TOKEN_MAX } from '../../domain/input-limits';

type Body = Record<string, unknown>;

const METHODS: readonly string[] = ['email_code', 'totp', 'recovery_code', 'passkey'] satisfies SecondStepMethod[];

function body(req: FastifyRequest): Body {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InvalidInput('body', 'json_object_required');
  return b as Body;
}

function ctxWithDevice(req: FastifyRequest, b: Body): LoginContext {
  const ctx = loginContext(req);
  if (b.deviceToken !== undefined) {
    if (typeof b.deviceToken !== 'string' || b.deviceToken.length > TOKEN_MAX) throw new InvalidInput('deviceToken', 'format');
    ctx.deviceToken = b.deviceToken;
  }
  return ctx;
}

function flowId(b: Body): string {
  if (typeof b.flowId !== 'string' || b.flowId.length === 0 || b.flowId.length > TOKEN_MAX) throw new InvalidInput('flowId', 'required');
  return b.flowId;
}

function method(b: Body): SecondStepMethod | 'fallback' {
  if (b.method === 'fallback' || (typeof b.method === 'string' && METHODS.includes(b.method))) return b.method as SecondStepMethod | 'fallback';
  throw new InvalidInput('method', 'format');
}

function done(r: CompletedLogin) {
  return {
    state: 'done' as const,
    method: r.method,
    sessionToken: r.session.token,
    expiresAt: r.session.absoluteExpiresAt.toISOString(),
    ...(r.device ? { deviceToken: r.device.token } : {}),
    loginId: r.loginId,
    name: r.name,
    ...(r.passkeyEnrolmentRequired ? { passkeyEnrolmentRequired: true } : {}),
  };
}

/** A waiting step: the method shown, the ones the app may switch to, and what the shown one's screen needs. */
function waiting(step: SecondStep) {
  const details = Object.fromEntries(Object.entries(step.details).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));
  return { state: step.state, flowId: step.flowHandle, method: step.method, alternatives: step.alternatives, fallback: step.fallback, ...details };
}

function present(step: LoginStep) {
  return isCompleted(step) ? done(step) : waiting(step);
}

export function loginApi(app: FastifyInstance, deps: WebDeps): void {
  const { login } = deps.services;
  /** A second step's answer: `fields` are what that method's screen sends. */
  const answer = (path: string, m: SecondStepMethod, fields: string[]) =>
    app.post(path, async (req) => {
      const b = body(req);
      const input = Object.fromEntries(fields.map((f) => [f, b[f]]));
      return done(await login.submit(flowId(b), m, input, ctxWithDevice(req, b)));
    });

  app.post('/api/v1/login', async (req) => {
    const b = body(req);
    return present(await login.start({ loginId: b.loginId, password: b.password }, ctxWithDevice(req, b)));
  });

  answer('/api/v1/login/code', 'email_code', ['code']);
  answer('/api/v1/login/totp', 'totp', ['code']);
  answer('/api/v1/login/recovery', 'recovery_code', ['recoveryCode']);
  answer('/api/v1/login/passkey', 'passkey', ['challengeId', 'credential']);

  app.post('/api/v1/login/code/resend', async (req) => {
    const b = body(req);
    return present((await login.begin(flowId(b), 'email_code', ctxWithDevice(req, b))).step);
  });

  app.post('/api/v1/login/passkey/options', async (req) => {
    const b = body(req);
    return (await login.begin(flowId(b), 'passkey', ctxWithDevice(req, b))).challenge;
  });

  app.post('/api/v1/login/method', async (req) => {
    const b = body(req);
    return present(await login.switchMethod(flowId(b), method(b), ctxWithDevice(req, b)));
  });

  app.post('/api/v1/login/passwordless/options', async (req) => login.beginPasswordless(loginContext(req)));

  app.post('/api/v1/login/passwordless', async (req) => {
    const b = body(req);
    return done(await login.finishPasswordless({ challengeId: b.challengeId, credential: b.credential }, ctxWithDevice(req, b)));
  });
}
