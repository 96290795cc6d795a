// Entry of a runner worker thread: thread workers do not inherit the CLI's TypeScript loader,
// so each registers tsx itself before loading the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
