import { ALL_IDPS, type IdpId, type LoadedScenario } from '../scenario/types.js';

/**
 * The conformance catalogue of design.md §2: every case ID the bundled suite must cover,
 * followed by the groups the project adds beyond it (named so in their title), which `list`
 * shows, counts and reports missing in the same way.
 * Families (`saml.reject.*`, `scim.rfc.*`) are open: any scenario under the prefix belongs
 * to them, and `members` names the minimum each must contain (matched as an ID prefix, so
 * `saml.reject.xsw` is covered by `saml.reject.xsw-1`, `saml.reject.xsw-comment`, …).
 */
export interface CatalogueGroup {
  group: string;
  cases: string[];
  /** An open family: every case ID with this prefix belongs to the group. */
  prefix?: string;
}

export const CATALOGUE: readonly CatalogueGroup[] = [
  {
    group: 'JIT',
    cases: [
      'jit.new-user',
      'jit.defaults',
      'jit.environment-roles',
      'jit.custom-role',
      'jit.role-case-sensitive',
      'jit.existing-user-not-updated',
      'jit.disabled-refuses-unknown-user',
      'jit.jit-environments-only',
      'jit.group-sync-on-create',
      'jit.group-sync-on-login',
      'jit.sp-initiated',
      'jit.idp-initiated',
      'jit.relaystate-deep-link',
    ],
  },
  {
    group: 'Multi-workspace',
    cases: [
      'multiws.second-workspace-requires-email-verification',
      'multiws.switch-workspaces',
      'multiws.verification-link-single-use',
    ],
  },
  { group: 'Auth policy', cases: ['auth.environment-methods', 'auth.enforce-saml-for'] },
  {
    group: 'SCIM lifecycle',
    cases: [
      'scim.connection-test',
      'scim.create-user-invites',
      'scim.import-existing-no-duplicate',
      'scim.update-role-immediate-mid-session',
      'scim.deprovision-suspend',
      'scim.deprovision-deactivate',
      'scim.deprovision-unassign',
      'scim.deprovision-delete',
      'scim.deprovision-mid-session-next-action-locked-out',
      'scim.assets-remain-after-deprovision',
      'scim.reprovision-keeps-privileges',
      'scim.group-assignment-roles',
      'scim.no-access-role',
      'scim.disable-scim',
      'scim.audit-scim-auto-sync',
      'scim.entra-cycle-and-on-demand',
    ],
  },
  {
    group: 'SAML security',
    prefix: 'saml.reject.',
    cases: [
      'saml.reject.unsigned',
      'saml.reject.signature-stripped',
      'saml.reject.untrusted-key',
      'saml.reject.xsw',
      'saml.reject.expired',
      'saml.reject.not-yet-valid',
      'saml.reject.audience',
      'saml.reject.recipient',
      'saml.reject.destination',
      'saml.reject.issuer',
      'saml.reject.replay',
      'saml.reject.in-response-to',
      'saml.reject.nameid-comment',
      'saml.reject.dtd',
      'saml.reject.xxe',
      'saml.reject.status-not-success',
      'saml.reject.tampered-attribute',
      'saml.reject.two-assertions',
      'saml.reject.weak-algorithm',
    ],
  },
  { group: 'SCIM protocol', prefix: 'scim.rfc.', cases: [] },
  {
    group: 'Seed rules (beyond design §2)',
    cases: [
      'scim.invitation-expires',
      'scim.invitation-existing-account',
      'jit.no-access-role',
      'scim.deprovisioned-stays-out-suspend',
      'scim.deprovisioned-stays-out-deactivate',
      'scim.deprovisioned-stays-out-unassign',
      'scim.deprovisioned-stays-out-hard-delete',
      'scim.reprovision-after-delete',
    ],
  },
  {
    group: 'Single Logout and signed requests (beyond design §2)',
    cases: [
      'auth.slo-sp-initiated',
      'auth.slo-idp-initiated',
      'auth.signed-authn-requests',
      'auth.unsigned-authn-request-refused',
    ],
  },
];

export interface CatalogueRow {
  group: string;
  /** The catalogue ID (or, for family members found on disk, the scenario's case ID). */
  id: string;
  /** Scenario files implementing it (empty: missing). */
  scenarios: LoadedScenario[];
  inCatalogue: boolean;
}

/** Whether a scenario's case implements a catalogue entry: the same ID, or, in a family, the entry as prefix. */
function implementsEntry(caseId: string, entry: string, family: boolean): boolean {
  if (caseId === entry) return true;
  return family && (caseId.startsWith(entry + '-') || caseId.startsWith(entry + '.'));
}

/**
 * Lines the catalogue up with the scenarios on disk: each catalogue case with the files
 * implementing it (none: the gap is visible), then family members and other cases the
 * catalogue does not name.
 */
export function catalogueRows(scenarios: readonly LoadedScenario[]): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  const used = new Set<LoadedScenario>();
  for (const g of CATALOGUE) {
    for (const id of g.cases) {
      const impl = scenarios.filter((l) => implementsEntry(l.scenario.case, id, Boolean(g.prefix)));
      impl.forEach((l) => used.add(l));
      rows.push({ group: g.group, id, scenarios: impl, inCatalogue: true });
    }
    const extra = g.prefix
      ? scenarios.filter((l) => !used.has(l) && l.scenario.case.startsWith(g.prefix!))
      : [];
    for (const l of extra) {
      used.add(l);
      rows.push({ group: g.group, id: l.scenario.case, scenarios: [l], inCatalogue: false });
    }
    if (g.prefix && g.cases.length === 0 && extra.length === 0)
      rows.push({ group: g.group, id: `${g.prefix}*`, scenarios: [], inCatalogue: true });
  }
  for (const l of scenarios.filter((x) => !used.has(x)))
    rows.push({ group: 'Other', id: l.scenario.case, scenarios: [l], inCatalogue: false });
  return rows;
}

export const IDPS: readonly IdpId[] = ALL_IDPS;
