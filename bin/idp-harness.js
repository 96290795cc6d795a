#!/usr/bin/env node
// Entry point of the idp-harness CLI. The sources are TypeScript, loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/src/cli.ts');
// main() resolves when the command is done (`serve` and `sp` wait for a signal first), its
// reports written. What may still be pending then is a case abandoned at its run timeout, which
// must not hold the exit back until its own step timeout.
process.exit(await main(process.argv.slice(2)));
