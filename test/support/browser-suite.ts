/**
 * The start every Chromium journey shares: a test server (real SMTP sink, its own database), the
 * customer made through the accounts service, and Chromium; all stopped after the suite. The
 * returned object's fields are filled by the time the suite's tests run.
 */
import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Clock } from '../../src/domain/ports';
import { launchChromium } from './browser';
import { startTestServer, type RunningServer } from './server';

export interface BrowserSuite {
  srv: RunningServer;
  chromium: Browser;
}

export function browserSuite(customers: object[], opts: { env?: Record<string, string>; clock?: Clock } = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  before(async () => {
    suite.srv = await startTestServer(opts.env ?? {}, opts.clock ? { clock: opts.clock } : {});
    for (const c of customers) await suite.srv.server.runtime.services.accounts.create(c, 'e2e');
    suite.chromium = await launchChromium();
  });
  after(async () => {
    await suite.chromium?.close();
    await suite.srv?.stop();
  });
  return suite;
}
