import { mkdirSync } from 'fs';
import path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { Role } from '../../src/auth/roles';
import type { Services } from '../../src/services';
import { consoleCookie, createOperatorSession } from './console-operator';

/** Screenshots a reviewer can open after a run (gitignored). */
const SHOTS = path.join(process.cwd(), 'test-output', 'screenshots');

export interface ConsolePageOptions {
  viewport?: { width: number; height: number };
  acceptDownloads?: boolean;
}

/**
 * A fresh browser context (its own sessionStorage and localStorage) on the console at `hash`, not signed in.
 * Page errors, console errors and CSP violations go to `errors`, which each test's afterEach expects empty.
 */
export async function openConsolePage(
  browser: Browser,
  appUrl: string,
  hash: string,
  errors: string[],
  opts: ConsolePageOptions = {},
): Promise<Page> {
  const ctx = await browser.newContext({
    viewport: opts.viewport ?? { width: 1366, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: opts.acceptDownloads ?? false,
  });
  const page = await ctx.newPage();
  // A step that cannot happen fails with the locator it waited for, before the test's own timeout.
  page.setDefaultTimeout(12_000);
  // Every CSP refusal (an inline style a component might set, a script from elsewhere) becomes a page error.
  await page.addInitScript({
    content:
      "document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    // The browser reports each 4xx answer; the console shows those itself, which the tests check.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()))
      errors.push(`console: ${m.text()}`);
  });
  await page.goto(`${appUrl}/console${hash}`);
  return page;
}

/** A person the console tests sign in as. */
export interface Person {
  role: Role;
  name: string;
}

export const PEOPLE = {
  admin: { role: 'admin', name: 'Ada Admin' },
  operator: { role: 'operator', name: 'Otto Operator' },
  viewer: { role: 'viewer', name: 'Vera Viewer' },
} as const satisfies Record<string, Person>;

/**
 * Signs `who` in as a console operator (for tests that are not about signing in: an operator and an open session
 * made on the server, its `siyu_console` cookie given to the page's browser context), reloads and waits for the
 * signed-in header. The sign-in itself is tested through the emulator's WeCom login in console-login-browser.
 */
export async function signIn(page: Page, app: Services, who: Person): Promise<void> {
  const session = await createOperatorSession(app, who.role, who.name);
  const url = new URL(page.url()).origin;
  await page.context().addCookies([consoleCookie(url, session.cookie)]);
  await page.reload();
  await page.locator('#who').waitFor({ state: 'visible' });
}

/**
 * Picks an option of an Element Plus select (its list is teleported to the body), then waits until the select
 * shows it. On a starved browser a click can land while the list is still opening and be lost, or the list can
 * close again before the option is clicked; the list is then opened again, as a person would, up to three times.
 */
export async function choose(page: Page, select: string | Locator, option: string | RegExp): Promise<void> {
  const field = typeof select === 'string' ? page.locator(select) : select;
  for (let attempt = 1; ; attempt++) {
    try {
      await field.click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click({ timeout: 5_000 });
      await field.filter({ hasText: option }).waitFor({ timeout: 5_000 });
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await page.keyboard.press('Escape');
    }
  }
}

/** A full-page screenshot as test-output/screenshots/console-<name>.png. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `console-${name}.png`), fullPage: true });
}
