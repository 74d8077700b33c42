/** A support-desk operator over real HTTP: enrols a passkey from the CLI's link, logs in, acts. */
import { HttpBrowser, type HttpAnswer } from './http-browser';
import { SoftAuthenticator, type SoftCredential } from './soft-authenticator';

export class DeskOperator {
  readonly browser = new HttpBrowser();
  credential: SoftCredential | null = null;
  constructor(
    readonly baseUrl: string,
    readonly auth = new SoftAuthenticator(baseUrl.replace('127.0.0.1', 'localhost'), 'localhost'),
  ) {}

  /** Opens the enrolment link and registers a passkey; returns the verify answer. */
  async enrol(token: string): Promise<HttpAnswer> {
    const page = await this.browser.get(`${this.baseUrl}/support/enrol?token=${encodeURIComponent(token)}`);
    if (page.status !== 200) return page;
    const opts = await this.browser.json(`${this.baseUrl}/support/enrol/options`, { token });
    if (opts.status !== 200) return opts;
    const { challengeId, options } = JSON.parse(opts.body) as { challengeId: string; options: { challenge: string; user: { id: string } } };
    const created = this.auth.create(options);
    const verify = await this.browser.json(`${this.baseUrl}/support/enrol/verify`, { token, challengeId, credential: created.response });
    if (verify.status === 200) this.credential = created.credential;
    return verify;
  }

  async login(credential = this.credential): Promise<HttpAnswer> {
    await this.browser.get(`${this.baseUrl}/support/`);
    const opts = await this.browser.json(`${this.baseUrl}/support/login/options`, {});
    const { challengeId, options } = JSON.parse(opts.body) as { challengeId: string; options: { challenge: string } };
    return this.browser.json(`${this.baseUrl}/support/login/verify`, { challengeId, credential: this.auth.get(credential!, options) });
  }

  get(path: string): Promise<HttpAnswer> {
    return this.browser.get(`${this.baseUrl}${path}`);
  }

  /** An action on a customer, from the customer's page (its CSRF value). */
  async act(loginId: string, action: string, extra: Record<string, string> = {}): Promise<HttpAnswer> {
    await this.get(`/support/customers/${encodeURIComponent(loginId)}`);
    return this.browser.post(`${this.baseUrl}/support/customers/${encodeURIComponent(loginId)}/actions`, {
      action,
      reason: 'lost phone',
      identityMethod: 'callback_registered_phone',
      identityNote: 'called back 03-1234-5678, birth date matched',
      ...extra,
    });
  }

  async decide(requestId: number, decision: 'approve' | 'reject', why = 'identity check reviewed'): Promise<HttpAnswer> {
    await this.get('/support/');
    return this.browser.post(`${this.baseUrl}/support/requests/${requestId}/decide`, { decision, decisionReason: why });
  }
}

/** The request number a console page announced (「依頼 #12 を…」). */
export function requestIdIn(body: string): number {
  const m = /依頼 #(\d+) を/.exec(body);
  if (!m) throw new Error(`no request number in the page: ${body.slice(0, 400)}`);
  return Number(m[1]);
}
