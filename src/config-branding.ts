/**
 * The brokerage's branding, configurable without code: names in English, colours, a logo file,
 * the footer's lines (company, 金融商品取引業者 registration) and the help, FAQ and
 * forgotten-ID/password links. Part of the one config object (src/config.ts); its own file so
 * config.ts stays small. Defaults are the screens as they are today. docs/configuration.md lists
 * every variable.
 */
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { z } from 'zod';

const hexColour = (def: string) =>
  z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb')
    .default(def)
    .transform((c) => c.toLowerCase());
const line = (max: number) => z.string().trim().max(max).default('');
const link = z.url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL').optional();

/** The branding variables, merged into config.ts's schema. */
export const BrandingEnvSchema = z.object({
  BROKER_NAME_EN: z.string().trim().min(1).max(60).optional(),
  SERVICE_NAME_EN: z.string().trim().min(1).max(60).optional(),
  BRAND_COLOR: hexColour('#004b8d'),
  BRAND_TEXT_COLOR: hexColour('#ffffff'),
  ACCENT_COLOR: hexColour('#d0341f'),
  ACCENT_TEXT_COLOR: hexColour('#ffffff'),
  BRAND_LOGO_FILE: z.string().trim().min(1).optional(),
  FOOTER_COMPANY: line(100),
  FOOTER_REGISTRATION: line(160),
  FOOTER_LINES: line(1000),
  SUPPORT_HOURS: line(80),
  HELP_URL: link,
  FAQ_URL: link,
  FORGOT_ID_URL: link,
  FORGOT_PASSWORD_URL: link,
});

export type BrandingEnv = z.infer<typeof BrandingEnvSchema>;

export interface Branding {
  /** Names on English pages; the Japanese names (BROKER_NAME, SERVICE_NAME) when not set. */
  english: { brokerName: string; serviceName: string };
  colours: { brand: string; brandText: string; accent: string; accentText: string };
  /** The logo shown in the header instead of the name in text, read from this file at start. */
  logo: { file: string; contentType: string } | null;
  footer: { company: string; registration: string; lines: string[] };
  support: { phone: string; hours: string };
  links: { help: string | null; faq: string | null; forgotId: string | null; forgotPassword: string | null };
}

const LOGO_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.webp': 'image/webp', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' };
const LOGO_MAX_BYTES = 256 * 1024;

/** WCAG 2.x relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The branding from the parsed variables, or the problems with it: text that would be hard to
 * read on its colour (WCAG 1.4.3 asks 4.5:1), a logo that is missing, too large or not an image.
 */
export function parseBranding(e: BrandingEnv, names: { brokerName: string; serviceName: string; supportPhone: string }): { branding: Branding; problems: string[] } {
  const problems: string[] = [];
  for (const [text, background, what] of [
    [e.BRAND_TEXT_COLOR, e.BRAND_COLOR, 'BRAND_TEXT_COLOR on BRAND_COLOR'],
    [e.ACCENT_TEXT_COLOR, e.ACCENT_COLOR, 'ACCENT_TEXT_COLOR on ACCENT_COLOR'],
    [e.BRAND_COLOR, '#ffffff', 'BRAND_COLOR (links and outlined buttons) on white'],
  ] as const) {
    const ratio = contrastRatio(text, background);
    if (ratio < 4.5) problems.push(`${what} has a contrast of ${ratio.toFixed(2)}:1; at least 4.5:1 is needed to be readable (WCAG 1.4.3)`);
  }
  let logo: Branding['logo'] = null;
  if (e.BRAND_LOGO_FILE) {
    const file = resolve(e.BRAND_LOGO_FILE);
    const contentType = LOGO_TYPES[extname(file).toLowerCase()];
    if (!contentType) problems.push(`BRAND_LOGO_FILE must be an .svg, .png, .webp or .jpg file (${e.BRAND_LOGO_FILE})`);
    else if (!existsSync(file) || !statSync(file).isFile()) problems.push(`BRAND_LOGO_FILE ${e.BRAND_LOGO_FILE} does not exist`);
    else if (statSync(file).size > LOGO_MAX_BYTES) problems.push(`BRAND_LOGO_FILE ${e.BRAND_LOGO_FILE} is larger than 256 KiB`);
    else logo = { file, contentType };
  }
  const branding: Branding = {
    english: { brokerName: e.BROKER_NAME_EN ?? names.brokerName, serviceName: e.SERVICE_NAME_EN ?? names.serviceName },
    colours: { brand: e.BRAND_COLOR, brandText: e.BRAND_TEXT_COLOR, accent: e.ACCENT_COLOR, accentText: e.ACCENT_TEXT_COLOR },
    logo,
    footer: {
      company: e.FOOTER_COMPANY || names.brokerName,
      registration: e.FOOTER_REGISTRATION,
      lines: e.FOOTER_LINES.split('|').map((s) => s.trim()).filter(Boolean),
    },
    support: { phone: names.supportPhone, hours: e.SUPPORT_HOURS },
    links: { help: e.HELP_URL ?? null, faq: e.FAQ_URL ?? null, forgotId: e.FORGOT_ID_URL ?? null, forgotPassword: e.FORGOT_PASSWORD_URL ?? null },
  };
  return { branding, problems };
}
