/**
 * Branding without code (issue 19): the variables, their defaults (the screens as they were), the
 * checks that refuse unreadable colours or a missing logo, and what the layout gets to show.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contrastRatio } from '../../../src/config-branding';
import { ConfigError, loadConfig } from '../../../src/config';
import { translator } from '../../../src/i18n';
import { brandHeader, brandStylesheet, footerContent, loginHelp, telHref } from '../../../src/web/branding';

const KEY = 'a'.repeat(64);
const load = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'test', MAMORI_SECRET_KEY: KEY, ...env });

describe('branding', () => {
  it('defaults to today\'s screens', () => {
    const { branding, brand } = load();
    assert.deepEqual(branding.colours, { brand: '#004b8d', brandText: '#ffffff', accent: '#d0341f', accentText: '#ffffff' });
    assert.deepEqual(branding.english, { brokerName: 'ぐんぎん証券', serviceName: 'ぐんぎん証券オンラインサービス' });
    assert.deepEqual(branding.footer, { company: 'ぐんぎん証券', registration: '', lines: [] });
    assert.equal(branding.logo, null);
    assert.deepEqual(branding.links, { help: null, faq: null, forgotId: null, forgotPassword: null });
    assert.equal(branding.support.phone, brand.supportPhone);
    assert.equal(brandStylesheet(branding), ':root { --brand: #004b8d; --brand-text: #ffffff; --accent: #d0341f; --accent-text: #ffffff; }\n');
  });

  it('takes names, colours, logo, footer lines and links from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mamori-brand-'));
    writeFileSync(join(dir, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const { branding, brand } = load({
      BROKER_NAME: 'はるな証券',
      BROKER_NAME_EN: 'Haruna Securities',
      BRAND_COLOR: '#1F4E3D',
      BRAND_LOGO_FILE: join(dir, 'logo.svg'),
      FOOTER_COMPANY: 'はるな証券株式会社',
      FOOTER_REGISTRATION: '金融商品取引業者 関東財務局長（金商）第9999号',
      FOOTER_LINES: '加入協会: 日本証券業協会 | 一般社団法人第二種金融商品取引業協会',
      FAQ_URL: 'https://www.example.jp/faq',
      SUPPORT_PHONE: '0120-000-111',
    });
    assert.equal(branding.colours.brand, '#1f4e3d');
    assert.equal(branding.logo?.contentType, 'image/svg+xml');
    assert.deepEqual(branding.footer.lines, ['加入協会: 日本証券業協会', '一般社団法人第二種金融商品取引業協会']);
    const t = translator('ja');
    const footer = footerContent(brand, branding, t, 'ja').value;
    assert.match(footer, /はるな証券株式会社/);
    assert.match(footer, /関東財務局長（金商）第9999号/);
    assert.match(footer, /<a href="tel:0120000111">0120-000-111<\/a>/);
    assert.match(footer, /href="https:\/\/www.example.jp\/faq">よくあるご質問/);
    assert.match(brandHeader(brand, branding, 'en').value, /<img src="\/static\/logo" alt="Haruna Securities">/);
    assert.match(brandHeader(brand, branding, 'ja').value, /alt="はるな証券"/);
    const help = loginHelp(branding, t).value;
    assert.match(help, /よくあるご質問/);
    assert.doesNotMatch(help, /お忘れの方/, 'no link to pages that are not configured');
    assert.match(help, /ログイン画面へのリンクをお送りすることはありません/);
  });

  it('refuses colours that cannot be read and logos that are not there', () => {
    assert.throws(() => load({ BRAND_COLOR: 'blue' }), (e: Error) => e instanceof ConfigError && /BRAND_COLOR: must be a colour as #rrggbb/.test(e.message));
    assert.throws(() => load({ ACCENT_COLOR: '#ff9999' }), /ACCENT_TEXT_COLOR on ACCENT_COLOR has a contrast of [\d.]+:1/);
    assert.throws(() => load({ BRAND_LOGO_FILE: '/nonexistent/logo.png' }), /BRAND_LOGO_FILE \/nonexistent\/logo.png does not exist/);
    assert.throws(() => load({ BRAND_LOGO_FILE: '/etc/passwd' }), /must be an .svg, .png/);
    assert.throws(() => load({ HELP_URL: 'javascript:alert(1)' }), /HELP_URL/);
    assert.ok(contrastRatio('#004b8d', '#ffffff') > 4.5 && contrastRatio('#d0341f', '#ffffff') > 4.5, 'the defaults are readable');
    assert.equal(Math.round(contrastRatio('#000000', '#ffffff')), 21);
  });

  it('dials the support number as digits', () => {
    assert.equal(telHref('0120-954-171'), 'tel:0120954171');
    assert.equal(telHref('+81 3-1234-5678'), 'tel:+81312345678');
  });
});
