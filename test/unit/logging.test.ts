import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/composition/create-logger';

describe('logs', () => {
  it('never contain passwords, codes, tokens, cookies or mail bodies', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
    const logger = createLogger(loadConfig({ MAMORI_SECRET_KEY: 'b'.repeat(64), LOG_LEVEL: 'info' }), sink);
    logger.info({
      req: { headers: { cookie: '__Host-mamori_session=SESSIONSECRET', authorization: 'Bearer BEARERSECRET' } },
      form: { password: 'PASSWORDSECRET', code: '123456', tradingPassword: 'TRADINGSECRET' },
      result: { sessionToken: 'TOKENSECRET', deviceToken: 'DEVICESECRET' },
      text: '認証コード: 654321',
    }, 'request');
    await new Promise((r) => setImmediate(r));
    const out = lines.join('');
    assert.match(out, /request/);
    for (const secret of ['SESSIONSECRET', 'BEARERSECRET', 'PASSWORDSECRET', '123456', 'TRADINGSECRET', 'TOKENSECRET', 'DEVICESECRET', '654321']) {
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    }
  });
});
