/** Our own CSS and script, read once at start and served from our origin (no CDN, CSP 'self'). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

const FILES: Record<string, string> = {
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'passkeys.js': 'text/javascript; charset=utf-8',
  'desk.js': 'text/javascript; charset=utf-8',
  'passkey-ceremony.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
  'webauthn.js': 'text/javascript; charset=utf-8',
};

/** The browser half of @simplewebauthn, served from our origin (no CDN). */
const require = createRequire(import.meta.url);
// The package exports only its module entry (<pkg>/script/index.js); its browser bundle sits beside.
const WEBAUTHN_BUNDLE = join(dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist/bundle/index.umd.min.js');

export function staticFiles(app: FastifyInstance): void {
  const contents = new Map(
    Object.keys(FILES).map((name) => [name, readFileSync(name === 'webauthn.js' ? WEBAUTHN_BUNDLE : PUBLIC_DIR + name)]),
  );
  app.get('/static/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const body = contents.get(name);
    if (!body) return reply.callNotFound();
    reply.header('Cache-Control', 'public, max-age=3600');
    return reply.type(FILES[name] as string).send(body);
  });
}
