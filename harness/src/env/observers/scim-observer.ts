import { HarnessError } from '../../errors.js';
import { expectOk } from '../clients.js';
import { MemberFields, type MemberFieldPaths } from './member-fields.js';
import { BaseObserver, type Observable, type ObservedMember } from './observer.js';

/** How the SP's SCIM server shows a member, as the target file declares it (defaults: RFC 7643 §4.1). */
export interface ScimObserverPaths extends Partial<MemberFieldPaths> {
  /** The attribute a member is looked up by (`filter=<attr> eq "<email>"`); default userName. */
  filterAttribute?: string;
}

export const SCIM_MEMBER_DEFAULTS: MemberFieldPaths = {
  email: '$.userName',
  name: '$.displayName',
  status: '$.active',
  statusValues: { true: 'active', false: 'deactivated' },
};

const PAGE = 100;
/** More Users than this in one SP is not a test tenant: the observer stops rather than page on. */
const MAX_USERS = 10_000;

interface ListResponse {
  totalResults?: number;
  Resources?: unknown[];
}

/**
 * Reads members, their status and roles from the SP's own SCIM server: a member with
 * `GET /Users?filter=userName eq "…"` (RFC 7644 §3.4.2.2), all members by paging `GET /Users`
 * (§3.4.2.4). SCIM has no sessions or audit log, and a deleted User is gone from it (§3.6), so
 * checks on those are not applicable through this observer.
 */
export class ScimObserver extends BaseObserver {
  readonly kind = 'scim';
  readonly description: string;
  private readonly fields: MemberFields;
  private readonly filterAttribute: string;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    paths: ScimObserverPaths = {},
  ) {
    super();
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.description = `the SP's SCIM server at ${this.baseUrl}`;
    const { filterAttribute, ...memberPaths } = paths;
    this.filterAttribute = filterAttribute ?? 'userName';
    this.fields = new MemberFields({ ...SCIM_MEMBER_DEFAULTS, ...memberPaths });
  }

  cannotSee(what: Observable): string | undefined {
    switch (what) {
      case 'sessions':
      case 'audit':
        return `the SP's SCIM server (the target's observer) has no ${what}: SCIM 2.0 defines none (RFC 7644 §3.2)`;
      case 'deleted':
        return "a deleted User is gone from the SP's SCIM server (RFC 7644 §3.6), so the observer cannot tell a deleted member from one that never existed";
      case 'roles':
      case 'groups':
      case 'authMethod':
      case 'name':
      case 'status':
        return this.fields.has(what)
          ? undefined
          : `the target's SCIM observer maps no ${what} (observer.${what} in the target file)`;
    }
  }

  private get(path: string) {
    return expectOk<ListResponse>('SCIM observer', 'GET', `${this.baseUrl}${path}`, this.token);
  }

  private toMembers(list: ListResponse, url: string): ObservedMember[] {
    if (!Array.isArray(list?.Resources) && list?.totalResults !== 0)
      throw new HarnessError('ERR_TARGET_PROTOCOL', `SCIM observer: GET ${url} answered no ListResponse`);
    return (list.Resources ?? []).flatMap((r) => this.fields.read(r) ?? []);
  }

  protected async readMembers(): Promise<ObservedMember[]> {
    const out: ObservedMember[] = [];
    for (let start = 1; start <= MAX_USERS; start += PAGE) {
      const path = `/Users?startIndex=${start}&count=${PAGE}`;
      const page = await this.get(path);
      const resources = page.Resources ?? [];
      out.push(...this.toMembers(page, path));
      if (resources.length === 0 || start + resources.length > (page.totalResults ?? 0)) break;
    }
    return out;
  }

  /** One member, by a filter on the lookup attribute. */
  override async member(email: string): Promise<ObservedMember | undefined> {
    this.noteRead();
    const filter = `${this.filterAttribute} eq "${email.replace(/["\\]/g, '\\$&')}"`;
    const path = `/Users?filter=${encodeURIComponent(filter)}`;
    const found = this.toMembers(await this.get(path), path);
    return found.find((m) => m.email.toLowerCase() === email.toLowerCase()) ?? found[0];
  }
}
