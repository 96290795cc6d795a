import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../sp-under-test/src/db/open.js';
import {
  LoginRefused,
  emailFrom,
  groupsFrom,
  nameFrom,
  rolesFrom,
  signInWithSaml,
  type SamlIdentity,
} from '../../sp-under-test/src/jit.js';
import { listAudit } from '../../sp-under-test/src/store/audit.js';
import { groupsOfMember, replaceMemberGroups } from '../../sp-under-test/src/store/groups.js';
import {
  addMember,
  createUser,
  findMemberByEmail,
  findUserByEmail,
} from '../../sp-under-test/src/store/members.js';
import {
  addCustomRole,
  createWorkspace,
  type SamlSettings,
  type Workspace,
} from '../../sp-under-test/src/store/workspaces.js';

const NOW = new Date('2026-01-15T10:00:00Z');
const identity = (
  attributes: Record<string, string[]>,
  nameId = 'maria.garcia@acme.example',
): SamlIdentity => ({
  nameId,
  nameIdFormat: undefined,
  attributes,
});
const settings = (s: Partial<SamlSettings> = {}): SamlSettings => ({
  idpEntityId: 'http://www.okta.com/x',
  ssoUrl: 'https://idp.example/sso',
  sloUrl: null,
  certificates: ['AAAA'],
  jit: true,
  jitEnvironments: null,
  allowIdpInitiated: true,
  enforceSamlFor: 'selected',
  groupSync: false,
  ...s,
});
const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (e) {
    if (e instanceof LoginRefused) return e.code;
    throw e;
  }
  return undefined;
};

describe('sp-under-test JIT rules (seeds 000 and 001)', () => {
  let db: Db;
  let ws: Workspace;
  beforeEach(() => {
    db = openDatabase(join(mkdtempSync(join(tmpdir(), 'sp-jit-')), 'sp.sqlite'));
    ws = createWorkspace(db, 'acme', 'Acme', ['DEV', 'TEST', 'PROD'], NOW);
    addCustomRole(db, ws.id, 'mktg_ops', {});
  });
  afterEach(() => db.close());

  describe('attribute rules', () => {
    it('email: workato_email, else the NameID in email format, else ERR_JIT_NO_EMAIL', () => {
      expect(emailFrom(identity({ workato_email: ['m.g@acme.example'] }))).to.equal('m.g@acme.example');
      expect(emailFrom(identity({}))).to.equal('maria.garcia@acme.example');
      expect(emailFrom(identity({ workato_email: ['  '] }))).to.equal('maria.garcia@acme.example');
      expect(codeOf(() => emailFrom(identity({}, '00u1abcd')))).to.equal('ERR_JIT_NO_EMAIL');
    });

    it('name: workato_full_name, else the local part of the SAML name', () => {
      expect(nameFrom(identity({ workato_full_name: ['Maria Garcia'] }))).to.equal('Maria Garcia');
      expect(nameFrom(identity({}))).to.equal('maria.garcia');
    });

    it('roles: workato_role → DEV, _test → TEST, _prod → PROD, Operator by default', () => {
      const known = new Set(['Admin', 'Analyst', 'Operator', 'NoAccess', 'mktg_ops']);
      expect(
        rolesFrom(
          identity({ workato_role: ['mktg_ops'], workato_role_prod: ['Admin'] }),
          ws,
          ['DEV', 'TEST', 'PROD'],
          known,
        ),
      ).to.deep.equal({ DEV: 'mktg_ops', TEST: 'Operator', PROD: 'Admin' });
    });

    it('roles: a workspace with one environment takes workato_role for it', () => {
      const single = createWorkspace(db, 'solo', 'Solo', ['PROD'], NOW);
      expect(
        rolesFrom(identity({ workato_role: ['Analyst'] }), single, ['PROD'], new Set(['Analyst'])),
      ).to.deep.equal({ PROD: 'Analyst' });
    });

    it('roles are case-sensitive: admin and MKTG_OPS are unknown roles', () => {
      const known = new Set(['Admin', 'Operator', 'mktg_ops']);
      for (const role of ['admin', 'MKTG_OPS', 'Mktg_Ops']) {
        expect(
          codeOf(() => rolesFrom(identity({ workato_role: [role] }), ws, ['DEV'], known)),
          role,
        ).to.equal('ERR_JIT_UNKNOWN_ROLE');
      }
    });

    it('groups: the multi-valued groups attribute, trimmed and without duplicates', () => {
      expect(groupsFrom(identity({ groups: ['Marketing', ' Everyone ', 'Marketing', ''] }))).to.deep.equal([
        'Marketing',
        'Everyone',
      ]);
    });
  });

  describe('signInWithSaml', () => {
    it('creates a new user active, SSO-required, with roles for the JIT-enabled environments only and its groups', () => {
      const r = signInWithSaml(
        db,
        ws,
        settings({ jitEnvironments: ['DEV', 'TEST'] }),
        identity({
          workato_role: ['mktg_ops'],
          workato_role_prod: ['Admin'],
          groups: ['Marketing', 'Everyone'],
        }),
        NOW,
      );
      expect(r.kind).to.equal('signed-in');
      if (r.kind !== 'signed-in') return;
      expect(r.created).to.equal(true);
      expect(r.member).to.include({
        status: 'active',
        authMethod: 'saml',
        source: 'jit',
        name: 'maria.garcia',
      });
      expect(r.member.roles).to.deep.equal({ DEV: 'mktg_ops', TEST: 'Operator' });
      expect(groupsOfMember(db, r.member.memberId)).to.deep.equal(['Everyone', 'Marketing']);
      const created = listAudit(db, ws.id).find((e) => e.action === 'member.created');
      expect(created).to.include({ source: 'jit', subject: 'maria.garcia@acme.example' });
    });

    it('an unknown role creates no user, no member and no group (one transaction)', () => {
      const code = codeOf(() =>
        signInWithSaml(
          db,
          ws,
          settings(),
          identity({ workato_role: ['Mktg_Ops'], groups: ['Marketing'] }),
          NOW,
        ),
      );
      expect(code).to.equal('ERR_JIT_UNKNOWN_ROLE');
      expect(findUserByEmail(db, 'maria.garcia@acme.example')).to.equal(undefined);
      expect(db.prepare('SELECT COUNT(*) AS n FROM workspace_groups').get()).to.deep.equal({ n: 0 });
    });

    it('JIT disabled refuses an unknown user and creates nothing', () => {
      expect(codeOf(() => signInWithSaml(db, ws, settings({ jit: false }), identity({}), NOW))).to.equal(
        'ERR_JIT_DISABLED',
      );
      expect(findUserByEmail(db, 'maria.garcia@acme.example')).to.equal(undefined);
    });

    it('JIT disabled still signs existing members in', () => {
      const uid = createUser(db, 'maria.garcia@acme.example', 'Maria', NOW);
      addMember(db, ws.id, uid, { DEV: 'Admin' }, 'admin', NOW);
      const r = signInWithSaml(db, ws, settings({ jit: false }), identity({}), NOW);
      expect(r.kind).to.equal('signed-in');
    });

    it('an existing member keeps profile, roles and groups when group syncing is off', () => {
      const uid = createUser(db, 'maria.garcia@acme.example', 'Set By Admin', NOW);
      const mid = addMember(db, ws.id, uid, { DEV: 'Analyst' }, 'admin', NOW, 'password');
      replaceMemberGroups(db, ws.id, mid, ['Sales'], 'admin', NOW);
      const r = signInWithSaml(
        db,
        ws,
        settings(),
        identity({ workato_full_name: ['Maria Garcia'], workato_role: ['Admin'], groups: ['Marketing'] }),
        NOW,
      );
      expect(r.kind === 'signed-in' && r.created).to.equal(false);
      const m = findMemberByEmail(db, ws.id, 'maria.garcia@acme.example')!;
      expect(m).to.include({ name: 'Set By Admin', authMethod: 'password' });
      expect(m.roles).to.deep.equal({ DEV: 'Analyst' });
      expect(groupsOfMember(db, mid)).to.deep.equal(['Sales']);
    });

    it('with group syncing on, every login replaces the groups (and only the groups), audited as jit', () => {
      const uid = createUser(db, 'maria.garcia@acme.example', 'Set By Admin', NOW);
      const mid = addMember(db, ws.id, uid, { DEV: 'Analyst' }, 'admin', NOW);
      replaceMemberGroups(db, ws.id, mid, ['Sales', 'Everyone'], 'admin', NOW);
      signInWithSaml(
        db,
        ws,
        settings({ groupSync: true }),
        identity({ groups: ['Marketing', 'Everyone'] }),
        NOW,
      );
      expect(groupsOfMember(db, mid)).to.deep.equal(['Everyone', 'Marketing']);
      expect(findMemberByEmail(db, ws.id, 'maria.garcia@acme.example')!.roles).to.deep.equal({
        DEV: 'Analyst',
      });
      const synced = listAudit(db, ws.id).filter((e) => e.action === 'member.groups-synced');
      expect(synced).to.have.length(1);
      expect(synced[0]!.source).to.equal('jit');
      expect(synced[0]!.details).to.deep.include({ added: ['Marketing'], removed: ['Sales'] });
      // The same groups again change nothing and add no audit event.
      signInWithSaml(
        db,
        ws,
        settings({ groupSync: true }),
        identity({ groups: ['Everyone', 'Marketing'] }),
        NOW,
      );
      expect(listAudit(db, ws.id).filter((e) => e.action === 'member.groups-synced')).to.have.length(1);
    });

    it('an inactive member is refused', () => {
      const uid = createUser(db, 'maria.garcia@acme.example', 'Maria', NOW);
      const mid = addMember(db, ws.id, uid, { DEV: 'Admin' }, 'admin', NOW);
      db.prepare("UPDATE members SET status = 'suspended' WHERE id = ?").run(mid);
      expect(codeOf(() => signInWithSaml(db, ws, settings(), identity({}), NOW))).to.equal(
        'ERR_MEMBER_INACTIVE',
      );
    });

    it('an account of another workspace must verify by email; nothing is created yet', () => {
      const other = createWorkspace(db, 'hr', 'HR', ['DEV'], NOW);
      signInWithSaml(db, other, settings(), identity({}), NOW);
      const r = signInWithSaml(
        db,
        ws,
        settings(),
        identity({ workato_role: ['mktg_ops'], groups: ['Marketing'] }),
        NOW,
      );
      expect(r.kind).to.equal('verify-email');
      if (r.kind !== 'verify-email') return;
      expect(r.roles).to.deep.equal({ DEV: 'mktg_ops', TEST: 'Operator', PROD: 'Operator' });
      expect(r.groups).to.deep.equal(['Marketing']);
      expect(findMemberByEmail(db, ws.id, 'maria.garcia@acme.example')).to.equal(undefined);
    });

    it('an account of another workspace with an unknown role for this one is refused before any mail', () => {
      const other = createWorkspace(db, 'hr', 'HR', ['DEV'], NOW);
      signInWithSaml(db, other, settings(), identity({}), NOW);
      expect(
        codeOf(() => signInWithSaml(db, ws, settings(), identity({ workato_role: ['ghost'] }), NOW)),
      ).to.equal('ERR_JIT_UNKNOWN_ROLE');
    });
  });
});
