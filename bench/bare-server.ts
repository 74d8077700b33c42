/**
 * The machine's own ceiling: a bare node:http server answering a tiny JSON, as the session check
 * does. For the overload's floor it also takes logins the way Mamori hashes them and nothing
 * more — Mamori's own password hasher, with the options Mamori runs with (same threads, priority
 * and queue bound), 503 + Retry-After when the queue is full — so the storm costs the machine
 * what it costs Mamori, minus everything Mamori itself does.
 *
 * argv: port. The hashing settings come from the environment, as for Mamori (HASH_*, ARGON2_*).
 */
import { createServer, type ServerResponse } from 'node:http';
import { loadConfig } from '../src/config';
import { createPasswordHasher, passwordHasherOptions } from '../src/hashing/password-hasher';
import { BENCH_PASSWORD } from './dataset';

const config = loadConfig({ ...process.env, NODE_ENV: 'development', MAMORI_SECRET_KEY: '0'.repeat(63) + '1' });
const hasher = createPasswordHasher(passwordHasherOptions(config));
const stored = await hasher.hash(BENCH_PASSWORD);

const body = JSON.stringify({ loginId: 'bench1', name: 'ベンチ 一郎', authenticatedAt: new Date().toISOString(), method: 'email_code' });
const answer = (res: ServerResponse, status: number, json: string, extra: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json), ...extra });
  res.end(json);
};
const server = createServer((req, res) => {
  if (req.method !== 'POST') return answer(res, 200, body);
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    let password = '';
    try {
      password = String((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { password?: unknown }).password ?? '');
    } catch {
      return answer(res, 400, '{"error":"bad_request"}');
    }
    hasher.verify(stored, password).then(
      ({ ok }) => answer(res, ok ? 200 : 401, ok ? '{"state":"done"}' : '{"error":"invalid_credentials"}'),
      () => answer(res, 503, '{"error":"overloaded"}', { 'retry-after': '2' }),
    );
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : 0}\n`);
});
