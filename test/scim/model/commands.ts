/* eslint-disable @typescript-eslint/no-explicit-any -- SCIM answers are read loosely */
import { expect } from 'chai';
import fc from 'fast-check';
import type { ScimAnswer } from '../helpers.js';
import type { ScimModel } from './model.js';
import { type Expected, type UserInput } from './model.js';

/** The SCIM server of one fresh workspace, and a tally of what ran. */
export interface Real {
  scim(method: string, path: string, body?: unknown): Promise<ScimAnswer>;
  steps: { count: number };
}

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

// Small pools, so that Users and Groups keep meeting each other's userNames, emails and names.
const userNames: fc.Arbitrary<string> = fc.constantFrom(
  'emp1',
  'EMP1',
  'emp2',
  'anna@example.com',
  'Anna@Example.com',
  'bea@example.com',
  'carl',
);
const addresses: fc.Arbitrary<string> = fc.constantFrom(
  'anna@example.com',
  'ANNA@example.com',
  'bea@example.com',
  'carl@example.com',
  'dora@example.com',
);
const emails = fc.option(addresses, { nil: undefined, freq: 4 });
const groupNames = fc.constantFrom('Finance', 'finance', 'emp1', 'anna@example.com', 'Ops');
const ref = fc.nat(40);
const userInput = fc.record({
  userName: userNames,
  email: emails,
  displayName: fc.constantFrom('Anna', 'Bea', 'Carl'),
  active: fc.option(fc.boolean(), { nil: undefined }),
});

const userBody = (u: UserInput) => ({
  schemas: [USER],
  userName: u.userName,
  displayName: u.displayName,
  ...(u.email !== undefined ? { emails: [{ value: u.email, primary: true, type: 'work' }] } : {}),
  ...(u.active !== undefined ? { active: u.active } : {}),
});
const groupBody = (displayName: string, members: readonly string[]) => ({
  schemas: [GROUP],
  displayName,
  members: members.map((value) => ({ value })),
});

/** An id the model knows (live or deleted), or one nobody was ever given. */
const pick = (ids: readonly string[], n: number) =>
  n % (ids.length + 1) < ids.length ? ids[n % (ids.length + 1)]! : 'no-such-id';

function expectAnswer(r: ScimAnswer, expected: Expected, what: string) {
  expect(r.status, `${what}: ${r.text}`).to.equal(expected.status);
  if (expected.status === 409) {
    expect(r.body.scimType, what).to.equal('uniqueness');
    expect(r.body.attribute, what).to.equal(expected.attribute);
  }
  if (expected.status === 400) expect(r.body.scimType, what).to.be.a('string');
}

/**
 * The invariants, checked after every step:
 * 1. every id answered 201 and not deleted still answers with the attributes last given to it;
 * 2. no answer changed a resource other than the one addressed (its version is unchanged),
 *    except that groups lose a deleted User as a member;
 * 3. list totals match the model (filters are checked by their own commands).
 */
async function checkInvariants(m: ScimModel, real: Real, changed: ReadonlySet<string>) {
  const users = await real.scim('GET', '/Users?count=1000');
  expect(users.body.totalResults, 'Users total').to.equal(m.users.size);
  const seen = new Set<string>();
  for (const r of users.body.Resources as any[]) {
    const u = m.users.get(r.id);
    expect(u, `listed User ${r.id} the model does not hold`).to.not.equal(undefined);
    seen.add(r.id);
    expect(r.userName, `userName of ${r.id}`).to.equal(u!.userName);
    expect(
      (r.emails as any[]).map((e) => e.value),
      `emails of ${r.id}`,
    ).to.deep.equal([m.shownEmail(u!)]);
    expect(r.displayName, `displayName of ${r.id}`).to.equal(u!.displayName);
    expect(r.active, `active of ${r.id}`).to.equal(u!.active);
    expect(((r.groups ?? []) as any[]).map((g) => g.value).sort(), `groups of ${r.id}`).to.deep.equal(
      m.groupsOf(r.id).sort(),
    );
    if (!changed.has(r.id)) expect(r.meta.version, `version of untouched User ${r.id}`).to.equal(u!.etag);
    u!.etag = r.meta.version;
  }
  expect(seen.size).to.equal(m.users.size);
  const groups = await real.scim('GET', '/Groups?count=1000');
  expect(groups.body.totalResults, 'Groups total').to.equal(m.groups.size);
  for (const r of groups.body.Resources as any[]) {
    const g = m.groups.get(r.id);
    expect(g, `listed Group ${r.id} the model does not hold`).to.not.equal(undefined);
    expect(r.displayName, `displayName of ${r.id}`).to.equal(g!.displayName);
    expect(((r.members ?? []) as any[]).map((x) => x.value).sort(), `members of ${r.id}`).to.deep.equal(
      [...g!.members].sort(),
    );
    if (!changed.has(r.id)) expect(r.meta.version, `version of untouched Group ${r.id}`).to.equal(g!.etag);
    g!.etag = r.meta.version;
  }
}

type Cmd = fc.AsyncCommand<ScimModel, Real, false>;

abstract class Step implements Cmd {
  check(): boolean {
    return true;
  }
  abstract toString(): string;
  /** Sends the request, checks the answer against the model and updates it; returns the ids it may change. */
  protected abstract act(m: ScimModel, real: Real): Promise<Iterable<string>>;
  async run(m: ScimModel, real: Real): Promise<void> {
    real.steps.count++;
    const changed = new Set(await this.act(m, real));
    await checkInvariants(m, real, changed);
  }
}

export class CreateUser extends Step {
  constructor(readonly input: UserInput) {
    super();
  }
  toString() {
    return `POST /Users ${JSON.stringify(this.input)}`;
  }
  async act(m: ScimModel, real: Real) {
    const expected = m.expectCreateUser(this.input);
    const r = await real.scim('POST', '/Users', userBody(this.input));
    expectAnswer(r, expected, this.toString());
    if (r.status !== 201) return [];
    expect(m.userIds, 'a 201 gives a new id').not.to.include(r.body.id);
    m.createUser(r.body.id, r.body.meta.version, this.input);
    return [r.body.id as string];
  }
}

class ReplaceUser extends Step {
  constructor(
    readonly n: number,
    readonly input: UserInput,
  ) {
    super();
  }
  toString() {
    return `PUT /Users/#${this.n} ${JSON.stringify(this.input)}`;
  }
  async act(m: ScimModel, real: Real) {
    const id = pick(m.userIds, this.n);
    const expected = m.expectReplaceUser(id, this.input);
    const r = await real.scim('PUT', `/Users/${id}`, userBody(this.input));
    expectAnswer(r, expected, this.toString());
    if (r.status !== 200) return [];
    m.replaceUser(id, r.body.meta.version, this.input);
    return [id];
  }
}

type UserOp =
  | { op: 'userName'; value: string }
  | { op: 'email'; value: string }
  | { op: 'removeEmails' }
  | { op: 'active'; value: boolean }
  | { op: 'displayName'; value: string };
const userOp: fc.Arbitrary<UserOp> = fc.oneof(
  userNames.map((value) => ({ op: 'userName' as const, value })),
  addresses.map((value) => ({ op: 'email' as const, value })),
  fc.constant({ op: 'removeEmails' as const }),
  fc.boolean().map((value) => ({ op: 'active' as const, value })),
  fc.constantFrom('Anna', 'Dora').map((value) => ({ op: 'displayName' as const, value })),
);

class PatchUser extends Step {
  constructor(
    readonly n: number,
    readonly ops: UserOp[],
  ) {
    super();
  }
  toString() {
    return `PATCH /Users/#${this.n} ${JSON.stringify(this.ops)}`;
  }
  async act(m: ScimModel, real: Real) {
    const id = pick(m.userIds, this.n);
    const current = m.users.get(id);
    const next: UserInput | undefined = current && m.userInput(current);
    const Operations = this.ops.map((o) => {
      switch (o.op) {
        case 'userName':
          if (next) next.userName = o.value;
          return { op: 'replace', path: 'userName', value: o.value };
        case 'email':
          if (next) next.email = o.value;
          return { op: 'replace', path: 'emails', value: [{ value: o.value, primary: true }] };
        case 'removeEmails':
          if (next) next.email = undefined;
          return { op: 'remove', path: 'emails' };
        case 'active':
          if (next) next.active = o.value;
          return { op: 'Replace', value: { active: o.value } };
        case 'displayName':
          if (next) next.displayName = o.value;
          return { op: 'replace', path: 'displayName', value: o.value };
      }
    });
    const expected: Expected = next ? m.expectReplaceUser(id, next) : { status: 404 };
    const r = await real.scim('PATCH', `/Users/${id}`, { schemas: [PATCH_OP], Operations });
    expectAnswer(r, expected, this.toString());
    if (r.status !== 200) return [];
    m.replaceUser(id, r.body.meta.version, next!);
    return [id];
  }
}

class DeleteUser extends Step {
  constructor(readonly n: number) {
    super();
  }
  toString() {
    return `DELETE /Users/#${this.n}`;
  }
  async act(m: ScimModel, real: Real) {
    const id = pick(m.userIds, this.n);
    const r = await real.scim('DELETE', `/Users/${id}`);
    expectAnswer(r, { status: m.users.has(id) ? 204 : 404 }, this.toString());
    return r.status === 204 ? [id, ...m.deleteUser(id)] : [];
  }
}

class GetUser extends Step {
  constructor(readonly n: number) {
    super();
  }
  toString() {
    return `GET /Users/#${this.n}`;
  }
  async act(m: ScimModel, real: Real) {
    const id = pick(m.userIds, this.n);
    const u = m.users.get(id);
    const r = await real.scim('GET', `/Users/${id}`);
    expectAnswer(r, { status: u ? 200 : 404 }, this.toString());
    if (u) {
      expect(r.body.userName).to.equal(u.userName);
      expect(r.headers.get('etag')).to.equal(u.etag);
    }
    return [];
  }
}

type UserFilter = { attr: 'userName' | 'emails.value'; value: string } | { attr: 'active'; value: boolean };
const userFilter: fc.Arbitrary<UserFilter> = fc.oneof(
  userNames.map((value) => ({ attr: 'userName' as const, value })),
  addresses.map((value) => ({ attr: 'emails.value' as const, value })),
  fc.boolean().map((value) => ({ attr: 'active' as const, value })),
);

class FilterUsers extends Step {
  constructor(readonly f: UserFilter) {
    super();
  }
  toString() {
    return `GET /Users?filter=${this.text()}`;
  }
  text() {
    return `${this.f.attr} eq ${JSON.stringify(this.f.value)}`;
  }
  async act(m: ScimModel, real: Real) {
    const f = this.f;
    const want = m.usersWhere((u) =>
      f.attr === 'active'
        ? u.active === f.value
        : (f.attr === 'userName' ? u.userName : m.shownEmail(u)).toLowerCase() === f.value.toLowerCase(),
    );
    const r = await real.scim('GET', `/Users?filter=${encodeURIComponent(this.text())}`);
    expectAnswer(r, { status: 200 }, this.toString());
    expect(r.body.totalResults, this.toString()).to.equal(want.length);
    expect((r.body.Resources as any[]).map((x) => x.id).sort(), this.toString()).to.deep.equal(want.sort());
    return [];
  }
}

class PutGroup extends Step {
  constructor(
    readonly n: number | undefined,
    readonly displayName: string,
    readonly members: number[],
  ) {
    super();
  }
  toString() {
    return `${this.n === undefined ? 'POST /Groups' : `PUT /Groups/#${this.n}`} ${this.displayName} members #${this.members.join(',#')}`;
  }
  async act(m: ScimModel, real: Real) {
    const members = this.members.map((k) => pick(m.userIds, k));
    const id = this.n === undefined ? undefined : pick(m.groupIds, this.n);
    const expected = m.expectGroup(this.displayName, members, id);
    const r = await real.scim(
      id === undefined ? 'POST' : 'PUT',
      id === undefined ? '/Groups' : `/Groups/${id}`,
      groupBody(this.displayName, members),
    );
    expectAnswer(r, expected, this.toString());
    if (r.status !== 200 && r.status !== 201) return [];
    if (r.status === 201) expect(m.groupIds, 'a 201 gives a new id').not.to.include(r.body.id);
    m.putGroup(r.body.id, r.body.meta.version, this.displayName, members);
    return [r.body.id as string];
  }
}

type GroupOp = { op: 'add' | 'remove'; member: number } | { op: 'rename'; value: string };
const groupOp: fc.Arbitrary<GroupOp> = fc.oneof(
  ref.map((member) => ({ op: 'add' as const, member })),
  ref.map((member) => ({ op: 'remove' as const, member })),
  groupNames.map((value) => ({ op: 'rename' as const, value })),
);

class PatchGroup extends Step {
  constructor(
    readonly n: number,
    readonly ops: GroupOp[],
  ) {
    super();
  }
  toString() {
    return `PATCH /Groups/#${this.n} ${JSON.stringify(this.ops)}`;
  }
  async act(m: ScimModel, real: Real) {
    const id = pick(m.groupIds, this.n);
    const g = m.groups.get(id);
    let name = g?.displayName ?? '';
    let members = [...(g?.members ?? [])];
    const Operations = this.ops.map((o) => {
      if (o.op === 'rename') {
        name = o.value;
        return { op: 'replace', value: { id, displayName: o.value } };
      }
      const user = pick(m.userIds, o.member);
      if (o.op === 'add') {
        if (!members.includes(user)) members.push(user);
        return { op: 'add', path: 'members', value: [{ value: user }] };
      }
      members = members.filter((x) => x !== user);
      return { op: 'remove', path: `members[value eq "${user}"]` };
    });
    const expected: Expected = g ? m.expectGroup(name, members, id) : { status: 404 };
    const r = await real.scim('PATCH', `/Groups/${id}`, { schemas: [PATCH_OP], Operations });
    expectAnswer(r, expected, this.toString());
    if (r.status !== 200) return [];
    m.putGroup(id, r.body.meta.version, name, members);
    return [id];
  }
}

class DeleteGroup extends Step {
  constructor(readonly n: number) {
    super();
  }
  toString() {
    return `DELETE /Groups/#${this.n}`;
  }
  async act(m: ScimModel, real: Real) {
    const id = pick(m.groupIds, this.n);
    const r = await real.scim('DELETE', `/Groups/${id}`);
    expectAnswer(r, { status: m.groups.has(id) ? 204 : 404 }, this.toString());
    if (r.status === 204) m.groups.delete(id);
    return [];
  }
}

class FilterGroups extends Step {
  constructor(readonly name: string) {
    super();
  }
  toString() {
    return `GET /Groups?filter=displayName eq "${this.name}"`;
  }
  async act(m: ScimModel, real: Real) {
    const want = [...m.groups.values()]
      .filter((g) => g.displayName.toLowerCase() === this.name.toLowerCase())
      .map((g) => g.id);
    const r = await real.scim('GET', `/Groups?filter=${encodeURIComponent(`displayName eq "${this.name}"`)}`);
    expectAnswer(r, { status: 200 }, this.toString());
    expect(r.body.totalResults, this.toString()).to.equal(want.length);
    return [];
  }
}

/** Random command sequences over Users and Groups; creates come twice as often as the rest. */
export const scimCommands = (maxCommands: number) =>
  fc.commands(
    [
      userInput.map((u) => new CreateUser(u)),
      userInput.map((u) => new CreateUser(u)),
      fc.tuple(ref, userInput).map(([n, u]) => new ReplaceUser(n, u)),
      fc
        .tuple(ref, fc.array(userOp, { minLength: 1, maxLength: 3 }))
        .map(([n, ops]) => new PatchUser(n, ops)),
      ref.map((n) => new DeleteUser(n)),
      ref.map((n) => new GetUser(n)),
      userFilter.map((f) => new FilterUsers(f)),
      fc
        .tuple(groupNames, fc.array(ref, { maxLength: 3 }))
        .map(([name, members]) => new PutGroup(undefined, name, members)),
      fc
        .tuple(ref, groupNames, fc.array(ref, { maxLength: 3 }))
        .map(([n, name, members]) => new PutGroup(n, name, members)),
      fc
        .tuple(ref, fc.array(groupOp, { minLength: 1, maxLength: 3 }))
        .map(([n, ops]) => new PatchGroup(n, ops)),
      ref.map((n) => new DeleteGroup(n)),
      groupNames.map((name) => new FilterGroups(name)),
    ],
    { maxCommands, size: 'max' },
  );
