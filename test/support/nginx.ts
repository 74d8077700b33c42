/**
 * Debian's real nginx in front of Mamori, configured with the repository's own
 * deploy/nginx/mamori-locations.conf (the file docs/integration.md tells operators to include):
 * the tests prove the configuration the docs ship, not a copy of it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './server';

export const NGINX = '/usr/sbin/nginx';
export const LOCATIONS_FILE = fileURLToPath(new URL('../../deploy/nginx/mamori-locations.conf', import.meta.url));
/** Why an nginx test is skipped, or false when nginx is there (CI installs nginx-light). */
export const nginxMissing = existsSync(NGINX) ? false : `${NGINX} is not installed (apt-get install nginx-light)`;

export interface RunningNginx {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * The `upstream`/`server {}` wrapper of docs/integration.md, around the repository's locations
 * file; `more` is what a site adds after it in the same server (say a catch-all location).
 */
export async function startNginx(upstreams: { mamori: string; trading: string }, more = ''): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), 'mamori-nginx-'));
  const port = await freePort();
  const hostPort = (u: string) => new URL(u).host;
  writeFileSync(
    join(dir, 'nginx.conf'),
    `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream mamori  { server ${hostPort(upstreams.mamori)}; }
  upstream trading { server ${hostPort(upstreams.trading)}; }
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    include ${LOCATIONS_FILE};
    ${more}
  }
}
`,
  );
  const child: ChildProcess = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const reap = () => child.kill('SIGKILL');
  process.once('exit', reap);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr} ${readLog(dir)}`);
    if (await send(`${url}/healthz-of-nothing`).then(() => true, () => false)) break;
    if (i > 100) {
      reap();
      throw new Error(`nginx did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode === null) child.kill('SIGQUIT');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function readLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8');
  } catch {
    return '';
  }
}

export interface SentRequest {
  method?: string;
  headers?: Record<string, string | string[]>;
  body?: string;
  /** The client's own address (any of 127.0.0.0/8 on Linux): several clients on one machine. */
  localAddress?: string;
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  json(): any;
}

/** A plain HTTP request with full control of headers and of the client's address (fetch has neither). */
export function send(url: string, r: SentRequest = {}): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const req = httpRequest(url, { method: r.method ?? 'GET', headers: r.headers, localAddress: r.localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (r.body) req.write(r.body);
    req.end();
  });
}

/** POST JSON as the mobile app does (no Origin). */
export const sendJson = (url: string, body: unknown, r: Omit<SentRequest, 'body' | 'method'> = {}) =>
  send(url, { ...r, method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...(r.headers ?? {}) } });
