import { entra } from './entra.js';
import { google } from './google.js';
import { okta } from './okta.js';
import { onelogin } from './onelogin.js';
import type { Profile, VendorId } from './profile.js';

/** The vendor profiles this IdP can emulate, by ID. */
export const PROFILES: Partial<Record<VendorId, Profile>> = { okta, onelogin, entra, google };

export function profileFor(id: string): Profile | undefined {
  return PROFILES[id as VendorId];
}

export const availableProfiles = (): VendorId[] => Object.keys(PROFILES) as VendorId[];
