/** Our own CSS and script, read once at start and served from our origin (no CDN, CSP 'self'). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const PUBLIC_DIR = fileURLToPath(new URL('../../public/', import.meta.url));

const FILES: Record<string, string> = {
  'style.css': 'text/css; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
};

export function staticFiles(app: FastifyInstance): void {
  const contents = new Map(Object.keys(FILES).map((name) => [name, readFileSync(PUBLIC_DIR + name)]));
  app.get('/static/:name', async (req, reply) => {
    const name = (req.params as { name: string }).name;
    const body = contents.get(name);
    if (!body) return reply.callNotFound();
    reply.header('Cache-Control', 'public, max-age=3600');
    return reply.type(FILES[name] as string).send(body);
  });
}
