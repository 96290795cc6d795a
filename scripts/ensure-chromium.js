#!/usr/bin/env node
// Makes sure a Chromium that playwright-core can drive is on this machine.
// The browser driver needs it; everything else works without it.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const candidates = [
  process.env.IDP_HARNESS_CHROMIUM,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
].filter(Boolean);
if (candidates.some((p) => existsSync(p))) process.exit(0);
if (process.env.IDP_HARNESS_SKIP_BROWSER_INSTALL === '1') process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!hasApt) {
  console.warn(
    'idp-harness: no Chromium found and no apt-get here; install Chromium and set IDP_HARNESS_CHROMIUM to use --driver browser.',
  );
  process.exit(0);
}
const sudo = isRoot ? [] : ['sudo', '-n'];
console.log('idp-harness: installing Debian chromium for the browser driver…');
const run = (args) =>
  spawnSync(sudo.length ? sudo[0] : args[0], sudo.length ? [...sudo.slice(1), ...args] : args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
const update = run(['apt-get', 'update', '-qq']);
const install = update.status === 0 ? run(['apt-get', 'install', '-y', '-qq', 'chromium']) : update;
if (install.status !== 0) {
  console.warn(
    'idp-harness: could not install chromium; --driver browser will report an error until it is installed.',
  );
}
