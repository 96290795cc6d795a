import { HttpDriver } from '../drivers/http-driver.js';
import { requestJson } from '../env/clients.js';
import { HarnessError } from '../errors.js';
import type { MailCatcher } from '../env/mail-catcher.js';
import type { Demo } from './pages.js';

const MARIA = 'maria.garcia@acme.example';

/** A link in a guide step: a page of the SP or of the start page's server, or a tenant's console. */
export type GuideLink =
  | { to: 'sp'; path: string; label: string }
  | { to: 'sp-admin' | 'mail' | 'scim-log'; label: string }
  | { to: 'console'; label: string };

export interface GuideStep {
  text: string;
  link?: GuideLink;
}

/** What a guide's preparation may use: the running parts and the demo of its vendor. */
export interface GuideEnv {
  spUrl: string;
  idpUrl: string;
  idpAdminToken: string;
  mail: MailCatcher;
  demo: (vendor: string) => Demo;
  /** A user's password in the vendor's setup. */
  password: (vendor: string, login: string) => string;
}

/** Signs a user in to a workspace over HTTP, as a browser would; answers the page she lands on. */
async function signIn(env: GuideEnv, vendor: string, path: string) {
  const driver = new HttpDriver(30_000);
  await driver.goto(`${env.spUrl}${path}`);
  return driver.submitLogin(MARIA, env.password(vendor, MARIA));
}

/** A short walkthrough of one catalogue case, on one vendor's demo. */
export interface Guide {
  case: string;
  title: string;
  vendor: string;
  /** Other demos whose links the steps use (by vendor). */
  steps: (other: (vendor: string) => Demo) => GuideStep[];
  /** `serve --scenario <case>`: brings the demo to the state the case starts from; answers what it did. */
  prepare(env: GuideEnv): Promise<string>;
}

export const GUIDES: Guide[] = [
  {
    case: 'jit.new-user',
    title: 'Just-in-time provisioning of a new user',
    vendor: 'okta',
    steps: () => [
      {
        text: 'Open the SP admin view: Maria is not a member yet.',
        link: { to: 'sp-admin', label: 'SP admin view' },
      },
      {
        text: `Open the workspace and sign in at the IdP as ${MARIA}.`,
        link: { to: 'sp', path: '', label: 'Open the workspace' },
      },
      {
        text: 'The SP created her account and membership from the assertion: roles per environment, with the custom role for DEV. The admin view shows her without a reload.',
        link: { to: 'sp-admin', label: 'SP admin view' },
      },
      {
        text: 'In the console, Provision User on Maria (Okta matches her at the app), then change her workato_role under Edit: Okta sends it at once, and the SCIM traffic log shows the exchange.',
        link: { to: 'console', label: 'Okta Admin Console' },
      },
    ],
    prepare: async () => `${MARIA} is not a member of any workspace; her first sign-in creates her.`,
  },
  {
    case: 'multiws.second-workspace-requires-email-verification',
    title: 'A second workspace, with email verification',
    vendor: 'onelogin',
    steps: (other) => [
      {
        text: `Sign in to the first workspace as ${MARIA} (through Okta).`,
        link: {
          to: 'sp',
          path: `/w/${other('okta').workspace}`,
          label: `Workspace ${other('okta').workspace}`,
        },
      },
      {
        text: 'Open the second workspace (trusting OneLogin) and sign in as Maria there: the SP asks her to check her email.',
        link: { to: 'sp', path: '', label: 'Open the second workspace' },
      },
      { text: 'Open the mailbox and follow the verification link.', link: { to: 'mail', label: 'Mailbox' } },
      {
        text: 'She joined the second workspace with one account; the admin view shows her membership.',
        link: { to: 'sp-admin', label: 'SP admin view' },
      },
    ],
    async prepare(env) {
      const okta = env.demo('okta');
      const page = await signIn(env, 'okta', `/w/${okta.workspace}`);
      if (!page.url.includes(`/w/${okta.workspace}`))
        throw new HarnessError(
          'ERR_SERVE_PREPARE',
          `${MARIA} could not sign in to ${okta.workspace}: ${page.url}`,
        );
      return `${MARIA} signed in to workspace ${okta.workspace} through Okta; her next workspace asks her to verify her email.`;
    },
  },
  {
    case: 'scim.deprovision-mid-session-next-action-locked-out',
    title: 'Deprovisioning in the middle of a session',
    vendor: 'okta',
    steps: () => [
      {
        text: 'Keep the SCIM traffic log open in a tab of its own; it updates as the IdP sends.',
        link: { to: 'scim-log', label: 'SCIM traffic log' },
      },
      {
        text: `Sign in to the workspace as ${MARIA}.`,
        link: { to: 'sp', path: '', label: 'Open the workspace' },
      },
      {
        text: 'In the console, Assignments › Provision User on Maria if she is not provisioned yet, then Deactivate.',
        link: { to: 'console', label: 'Okta Admin Console' },
      },
      {
        text: 'Back in Maria’s tab, click any link: her next action shows “Access removed”. The log shows the PATCH with active false.',
      },
    ],
    async prepare(env) {
      const r = await requestJson<{ error?: { message?: string } }>(
        'mock IdP admin API',
        'POST',
        `${env.idpUrl}/api/admin/tenants/${env.demo('okta').tenant}/scim/assign`,
        env.idpAdminToken,
        { user: MARIA },
      );
      if (r.status >= 300)
        throw new HarnessError(
          'ERR_SERVE_PREPARE',
          `Provision User answered ${r.status}: ${r.body?.error?.message ?? ''}`,
        );
      // The SP invites a member created over SCIM; following the invitation verifies her address.
      const invite = await env.mail.newest(MARIA, (m) => /invit/i.test(m.subject), 10_000);
      const link = invite?.links[0];
      if (!link) throw new HarnessError('ERR_SERVE_PREPARE', `no invitation mail reached ${MARIA}`);
      const accepted = await new HttpDriver(30_000).goto(link);
      if (accepted.status >= 400)
        throw new HarnessError('ERR_SERVE_PREPARE', `the invitation link answered ${accepted.status}`);
      return `Okta provisioned ${MARIA} to workspace ${env.demo('okta').workspace} over SCIM and she accepted the invitation; sign her in, then deactivate her in the console.`;
    },
  },
];

export function guideFor(id: string): Guide {
  const g = GUIDES.find((x) => x.case === id);
  if (!g)
    throw new HarnessError(
      'ERR_BAD_OPTION',
      `--scenario takes one of the guided demos: ${GUIDES.map((x) => x.case).join(', ')}; got "${id}"`,
    );
  return g;
}
