#!/usr/bin/env node
// Entry point of the idp-harness CLI. The sources are TypeScript, loaded through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
