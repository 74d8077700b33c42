/**
 * After a step-up the session has a new token: a browser gets it as its session cookie (never in
 * the body, where a page script could read it), the app — which sent a bearer token — in the answer.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, cookieOptions } from './cookies';

export function handOverRenewedToken(req: FastifyRequest, reply: FastifyReply, token: string): { sessionToken?: string } {
  if (req.cookies[SESSION_COOKIE]) {
    reply.setCookie(SESSION_COOKIE, token, cookieOptions());
    return {};
  }
  return { sessionToken: token };
}
