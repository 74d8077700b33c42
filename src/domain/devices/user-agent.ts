/** Browser and OS names for mails and lists, from a maintained parser (not a fingerprint). */
import { UAParser } from 'ua-parser-js';

export interface UserAgentSummary {
  browser: string;
  os: string;
}

export function describeUserAgent(userAgent: string): UserAgentSummary {
  const r = UAParser(userAgent.slice(0, 512));
  const browser = [r.browser.name, r.browser.major].filter(Boolean).join(' ') || '不明';
  const os = [r.os.name, r.os.version].filter(Boolean).join(' ') || '不明';
  return { browser, os };
}
