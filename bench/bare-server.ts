/**
 * The machine's own ceiling: a bare node:http server answering a tiny JSON, as the session check
 * does. For the overload's floor it also takes logins the way Mamori's hashing does and nothing
 * more — argon2id on Mamori's own hash pool (same threads, priority and queue bound), 503 +
 * Retry-After when the queue is full — so the storm costs the machine what it costs Mamori, minus
 * everything Mamori itself does.
 *
 * argv: port, then JSON { threads, maxQueued, argon2: { memoryCost, timeCost, parallelism } }.
 */
import { createServer } from 'node:http';
import { hash as argon2Hash } from '@node-rs/argon2';
import { BoundedQueue } from '../src/crypto/bounded-queue';
import { HashPool, type Argon2Params } from '../src/crypto/hash-pool';
import { BENCH_PASSWORD } from './dataset';

const opts = JSON.parse(process.argv[3] ?? '{}') as { threads?: number; maxQueued?: number; argon2?: Argon2Params };
const argon2 = opts.argon2 ?? { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
const threads = opts.threads ?? 2;
const pool = new HashPool(threads, argon2);
const queue = new BoundedQueue(threads * 2, opts.maxQueued ?? 64, 2);
const stored = await argon2Hash(BENCH_PASSWORD, { algorithm: 2, ...argon2 });

const body = JSON.stringify({ loginId: 'bench1', name: 'ベンチ 一郎', authenticatedAt: new Date().toISOString(), method: 'email_code' });
const answer = (res: import('node:http').ServerResponse, status: number, json: string, extra: Record<string, string> = {}) => {
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
    queue.run(() => pool.verify(stored, password)).then(
      (ok) => answer(res, ok ? 200 : 401, ok ? '{"state":"done"}' : '{"error":"invalid_credentials"}'),
      () => answer(res, 503, '{"error":"overloaded"}', { 'retry-after': '2' }),
    );
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : 0}\n`);
});
