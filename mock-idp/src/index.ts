export { startIdp, type RunningIdp } from './server.js';
export { loadSetupFile, checkSetup, type TenantSetup } from './setup.js';
export { availableProfiles } from './profiles/index.js';
export { setRoleAttributes } from './role-attributes.js';
