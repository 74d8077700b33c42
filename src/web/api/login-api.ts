/**
 * The login flow as JSON, for the brokerage's mobile app: the same flow objects and rules as the
 * browser pages. The app keeps the session and device tokens itself (no cookies needed).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidInput } from '../../domain/errors';
import type { CompletedLogin, LoginContext, LoginStep } from '../../domain/login/login-service';
import type { WebDeps } from '../request-context';
import { loginContext } from '../request-context';

function body(req: FastifyRequest): Record<string, unknown> {
  const b = req.body;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) throw new InvalidInput('body', 'json_object_required');
  return b as Record<string, unknown>;
}

function ctxWithDevice(req: FastifyRequest, b: Record<string, unknown>): LoginContext {
  const ctx = loginContext(req);
  if (b.deviceToken !== undefined) {
    if (typeof b.deviceToken !== 'string' || b.deviceToken.length > 128) throw new InvalidInput('deviceToken', 'format');
    ctx.deviceToken = b.deviceToken;
  }
  return ctx;
}

function flowId(b: Record<string, unknown>): string {
  if (typeof b.flowId !== 'string' || b.flowId.length === 0 || b.flowId.length > 128) throw new InvalidInput('flowId', 'required');
  return b.flowId;
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
  };
}

function present(step: LoginStep) {
  if (step.state === 'done') return done(step);
  if (step.state === 'awaiting_totp') return { state: step.state, flowId: step.flowHandle };
  if (step.state === 'awaiting_passkey') return { state: step.state, flowId: step.flowHandle, fallback: step.fallback };
  return {
    state: step.state,
    flowId: step.flowHandle,
    maskedAddress: step.maskedAddress,
    codeExpiresAt: step.codeExpiresAt.toISOString(),
    resendAvailableAt: step.resendAvailableAt.toISOString(),
    mailDelayed: step.mailDelayed,
  };
}

export function loginApi(app: FastifyInstance, deps: WebDeps): void {
  const { login } = deps.services;

  app.post('/api/v1/login', async (req) => {
    const b = body(req);
    return present(await login.start({ loginId: b.loginId, password: b.password }, ctxWithDevice(req, b)));
  });

  app.post('/api/v1/login/code', async (req) => {
    const b = body(req);
    return done(await login.submitCode(flowId(b), b.code, ctxWithDevice(req, b)));
  });

  app.post('/api/v1/login/code/resend', async (req) => {
    const b = body(req);
    return present(await login.resendCode(flowId(b), ctxWithDevice(req, b)));
  });

  app.post('/api/v1/login/totp', async (req) => {
    const b = body(req);
    return done(await login.submitTotp(flowId(b), b.code, ctxWithDevice(req, b)));
  });
}
