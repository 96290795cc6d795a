export { startSp, type RunningSp } from './server.js';
export { SP_DEFAULTS, type SpOptions } from './config.js';
