/**
 * A model of what the reference SP's SCIM server may answer (RFC 7643/7644 and its uniqueness
 * rules), for the stateful test in ../model.test.ts. It knows nothing of SQL: live Users and
 * Groups, the attributes last given to each, and which answers are allowed.
 *
 * The uniqueness rules it encodes:
 * - a userName is held by one live User, ignoring case; a group displayName by one live Group;
 * - an address is held by one live User: the address its resource names (primary email, else
 *   the member's own) and the member's own sign-in address (the one it was created with);
 * - a User's member keeps its sign-in address; a User created again with the address of a
 *   deleted one takes back that member (and its address as first written), under a new id;
 * - a person is one account across workspaces: a User created with an address some workspace
 *   already knows signs in with that account's address as first written;
 * - deleting a User removes it from every Group, which then has a new version.
 */
export interface ModelUser {
  id: string;
  userName: string;
  /** The address given in `emails`, when one was. */
  email: string | undefined;
  /** The member's sign-in address, as first stored. */
  memberEmail: string;
  displayName: string;
  active: boolean;
  etag: string;
}

export interface ModelGroup {
  id: string;
  displayName: string;
  members: string[];
  etag: string;
}

/** What a User request carries. */
export interface UserInput {
  userName: string;
  email: string | undefined;
  displayName: string;
  active: boolean | undefined;
}

export type Expected =
  | { status: 200 | 201 | 204 }
  | { status: 400 }
  | { status: 404 }
  | { status: 409; attribute: 'userName' | 'emails' | 'displayName' };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class ScimModel {
  readonly users = new Map<string, ModelUser>();
  readonly groups = new Map<string, ModelGroup>();
  /** Every id ever answered with 201, live or deleted, in order. */
  readonly userIds: string[] = [];
  readonly groupIds: string[] = [];
  /**
   * The SP's people, shared by every workspace (and so by every model of one SP): an address
   * in lower case → the address as first stored.
   */
  constructor(private readonly accounts: Map<string, string>) {}

  shownEmail(u: ModelUser): string {
    return u.email ?? u.memberEmail;
  }

  private holderOfAddress(address: string, except?: string): ModelUser | undefined {
    for (const u of this.users.values())
      if (u.id !== except && (same(u.memberEmail, address) || same(this.shownEmail(u), address))) return u;
    return undefined;
  }

  private holderOfUserName(userName: string, except?: string): ModelUser | undefined {
    for (const u of this.users.values()) if (u.id !== except && same(u.userName, userName)) return u;
    return undefined;
  }

  expectCreateUser(input: UserInput): Expected {
    if (this.holderOfUserName(input.userName)) return { status: 409, attribute: 'userName' };
    const address = input.email ?? (ADDRESS.test(input.userName) ? input.userName : undefined);
    if (!address) return { status: 400 };
    if (this.holderOfAddress(address)) return { status: 409, attribute: 'emails' };
    return { status: 201 };
  }

  createUser(id: string, etag: string, input: UserInput): ModelUser {
    const address = input.email ?? input.userName;
    const key = address.toLowerCase();
    if (!this.accounts.has(key)) this.accounts.set(key, address);
    const u: ModelUser = {
      id,
      userName: input.userName,
      email: input.email,
      memberEmail: this.accounts.get(key)!,
      displayName: input.displayName,
      active: input.active ?? true,
      etag,
    };
    this.users.set(id, u);
    this.userIds.push(id);
    return u;
  }

  /** PUT, or the state a PATCH leads to. */
  expectReplaceUser(id: string, next: UserInput): Expected {
    const u = this.users.get(id);
    if (!u) return { status: 404 };
    if (this.holderOfUserName(next.userName, id)) return { status: 409, attribute: 'userName' };
    const address = next.email ?? u.memberEmail;
    if (!same(address, this.shownEmail(u)) && this.holderOfAddress(address, id))
      return { status: 409, attribute: 'emails' };
    return { status: 200 };
  }

  replaceUser(id: string, etag: string, next: UserInput): void {
    const u = this.users.get(id)!;
    u.userName = next.userName;
    u.email = next.email;
    u.displayName = next.displayName;
    if (next.active !== undefined) u.active = next.active;
    u.etag = etag;
  }

  /** What a User looks like to PATCH: the attributes last given, `emails` as shown. */
  userInput(u: ModelUser): UserInput {
    return { userName: u.userName, email: this.shownEmail(u), displayName: u.displayName, active: u.active };
  }

  /** Deletes a User; returns the groups that lose it as a member. */
  deleteUser(id: string): string[] {
    this.users.delete(id);
    const touched: string[] = [];
    for (const g of this.groups.values())
      if (g.members.includes(id)) {
        g.members = g.members.filter((m) => m !== id);
        touched.push(g.id);
      }
    return touched;
  }

  expectGroup(displayName: string, members: readonly string[], id?: string): Expected {
    if (id !== undefined && !this.groups.has(id)) return { status: 404 };
    for (const g of this.groups.values())
      if (g.id !== id && same(g.displayName, displayName)) return { status: 409, attribute: 'displayName' };
    if (members.some((m) => !this.users.has(m))) return { status: 400 };
    return { status: id === undefined ? 201 : 200 };
  }

  putGroup(id: string, etag: string, displayName: string, members: readonly string[]): void {
    const fresh = !this.groups.has(id);
    this.groups.set(id, { id, displayName, members: [...new Set(members)], etag });
    if (fresh) this.groupIds.push(id);
  }

  groupsOf(userId: string): string[] {
    return [...this.groups.values()].filter((g) => g.members.includes(userId)).map((g) => g.id);
  }

  usersWhere(test: (u: ModelUser) => boolean): string[] {
    return [...this.users.values()].filter(test).map((u) => u.id);
  }
}
