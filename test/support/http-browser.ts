/**
 * A browser over real HTTP, for `mamori serve` processes: its own cookies, the CSRF field of the
 * last page, the Origin of the server it talks to. One jar can talk to several processes of the
 * same deployment (they share the secret key, so a CSRF value from one is good on the other).
 */
import { CookieJar } from './cookie-jar';

export interface HttpAnswer {
  status: number;
  body: string;
  location: string | null;
}

export class HttpBrowser {
  readonly jar = new CookieJar();
  lastPage = '';
  constructor(readonly userAgent = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36') {}

  /** The server's own origin as its PUBLIC_URL names it (server-process.ts uses http://localhost:PORT). */
  private originOf(url: string): string {
    const u = new URL(url);
    return `http://localhost:${u.port}`;
  }

  csrf(): string {
    return /name="_csrf" value="([^"]+)"/.exec(this.lastPage)?.[1] ?? '';
  }

  private async send(url: string, init: RequestInit): Promise<HttpAnswer> {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { 'user-agent': this.userAgent, cookie: this.jar.header(), ...(init.headers as Record<string, string>) } });
    this.jar.store(res.headers.getSetCookie());
    const body = await res.text();
    return { status: res.status, body, location: res.headers.get('location') };
  }

  async get(url: string): Promise<HttpAnswer> {
    const r = await this.send(url, { method: 'GET' });
    if (r.status === 200) this.lastPage = r.body;
    return r;
  }

  /** A form post with the CSRF value of the last page; does not replace the last page, so many can go at once. */
  post(url: string, form: Record<string, string>, csrf = this.csrf()): Promise<HttpAnswer> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: this.originOf(url) },
      body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
    });
  }

  /** What the passkey script sends: JSON with the last page's CSRF value as a header. */
  json(url: string, body: unknown): Promise<HttpAnswer> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrf(), origin: this.originOf(url) },
      body: JSON.stringify(body),
    });
  }

  /** Takes a session token (from the JSON login API) as this browser's session cookie. */
  useSession(token: string): void {
    this.jar.cookies.set('__Host-mamori_session', token);
  }
}
