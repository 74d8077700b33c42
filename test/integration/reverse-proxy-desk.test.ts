/**
 * The desk's console without SUPPORT_LISTEN is served by Mamori's public listener; the public
 * nginx must never pass it on (docs/operations.md, "The desk's console"). Debian's nginx with the
 * repository's locations file, in a server that also sends everything else to Mamori (a site's
 * catch-all): the file's refusal must win over it, however the path is spelt.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../support/harness';
import { nginxMissing, send, sendJson, startNginx, type RunningNginx } from '../support/nginx';
import { startServerProcess, type ServerProcess } from '../support/server-process';
import { supportKeyFor } from '../support/support-keys';
import { storeKind } from '../support/test-store';

const CATCH_ALL = 'location / { proxy_pass http://mamori; proxy_set_header Host $host; }';

describe(`the desk's console behind the public nginx, without SUPPORT_LISTEN (${storeKind})`, { skip: nginxMissing }, () => {
  let h: Harness;
  let mamori: ServerProcess;
  let nginx: RunningNginx;
  before(async () => {
    const key = randomBytes(32).toString('hex');
    h = await startHarness({ MAMORI_SECRET_KEY: key });
    mamori = await startServerProcess({ DATABASE_URL: h.db.url, SMTP_URL: h.smtp.url, MAMORI_SECRET_KEY: key, TRUST_PROXY: '127.0.0.1', SUPPORT_API_PUBLIC: 'true' });
    nginx = await startNginx({ mamori: mamori.url, trading: mamori.url }, CATCH_ALL);
  });
  after(async () => {
    await nginx?.stop();
    await mamori?.stop();
    await h?.close();
  });

  it('Mamori itself serves the console on its public listener (so the refusal below is the proxy’s)', async () => {
    assert.equal((await send(`${mamori.url}/support/`)).status, 200);
    assert.equal((await send(`${nginx.url}/login`)).status, 200, 'the proxy passes Mamori’s own pages');
  });

  it('nginx answers 404 for every spelling of /support/, GET and POST', async () => {
    for (const path of ['/support/', '/support', '//support/', '/SUPPORT/', '/Support/enrol?token=x', '/%73upport/', '/static/../support/', '/support/login/options']) {
      const res = await send(`${nginx.url}${path}`);
      assert.equal(res.status, 404, `${path}: ${res.status}`);
      assert.ok(!res.body.includes('mamori_desk') && !res.body.includes('/static/desk.js'), path);
    }
    const post = await sendJson(`${nginx.url}/support/login/options`, {});
    assert.equal(post.status, 404, post.body);
  });

  it('and for the support API, even with a real key', async () => {
    const key = await supportKeyFor(h.runtime, 'proxy-desk');
    for (const path of ['/api/v1/support/addresses/192.0.2.1', '/api//v1/support/requests', '/API/v1/Support/requests']) {
      const res = await send(`${nginx.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      assert.equal(res.status, 404, `${path}: ${res.status}`);
    }
    assert.equal((await send(`${mamori.url}/api/v1/support/addresses/192.0.2.1`, { headers: { authorization: `Bearer ${key}` } })).status, 200, 'Mamori would have answered');
  });
});
