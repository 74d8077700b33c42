/** The machine's own ceiling: a bare node:http server answering a tiny JSON, as the session check does. */
import { createServer } from 'node:http';

const body = JSON.stringify({ loginId: 'bench1', name: 'ベンチ 一郎', authenticatedAt: new Date().toISOString(), method: 'email_code' });
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === 'object' && a ? a.port : 0}\n`);
});
