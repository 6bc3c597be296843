import { existsSync } from 'fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`); `.ci/run` installs it when it is missing. */
const CHROMIUM = '/usr/bin/chromium';

/**
 * `describe` for browser tests. Without Chromium a developer's run skips them with a warning; under CI
 * (`CI=true`, set by .ci/run, which installs Chromium) a missing browser fails instead of skipping silently.
 */
export function describeWithChromium(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM)) return describe(name, fn);
  if (process.env.CI) throw new Error(`${name}: ${CHROMIUM} is missing, and CI must run the browser tests`);
  console.warn(`${name}: skipped, ${CHROMIUM} is not installed (apt-get install chromium)`);
  describe.skip(name, fn);
}

/** Headless Chromium with the flags this machine needs (no sandbox, no GPU, no background network). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
