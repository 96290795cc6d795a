import { HarnessError } from '../../errors.js';
import { requestJson } from '../clients.js';
import { compileJsonPath, type JsonPath } from '../json-path.js';
import { MemberFields, type MemberFieldPaths } from './member-fields.js';
import { BaseObserver, type Observable, type ObservedMember, type ObservedSession } from './observer.js';

/** One of the SP's own JSON endpoints and where its records are (`items`, a JSONPath from the answer's root). */
export interface MappedEndpoint {
  url: string;
  items: string;
}

/** The `mapping` observer of a target file, its URLs already filled in. */
export interface MappingConfig {
  headers?: Record<string, string>;
  members: MappedEndpoint & MemberFieldPaths;
  sessions?: MappedEndpoint & { email: string };
}

/**
 * Reads the SP's state from JSON endpoints of its own, as the target file maps them: a URL per
 * kind of state, a JSONPath selecting its records, and JSONPaths into each record (RFC 9535
 * subset, see json-path.ts). A part the file does not map is not observable.
 */
export class MappedObserver extends BaseObserver {
  readonly kind = 'mapping';
  readonly description: string;
  private readonly memberItems: JsonPath;
  private readonly fields: MemberFields;
  private readonly sessionItems?: JsonPath;
  private readonly sessionEmail?: JsonPath;

  constructor(
    private readonly config: MappingConfig,
    private readonly token: string | undefined,
  ) {
    super();
    this.description = `the SP's endpoints mapped in the target file (members: ${config.members.url}${config.sessions ? `, sessions: ${config.sessions.url}` : ''})`;
    this.memberItems = compileJsonPath(config.members.items);
    const { url: _url, items: _items, ...paths } = config.members;
    this.fields = new MemberFields(paths);
    if (config.sessions) {
      this.sessionItems = compileJsonPath(config.sessions.items);
      this.sessionEmail = compileJsonPath(config.sessions.email);
    }
  }

  cannotSee(what: Observable): string | undefined {
    switch (what) {
      case 'sessions':
        return this.sessionItems
          ? undefined
          : "the target's observer mapping has no sessions (observer.sessions in the target file)";
      case 'audit':
        return "the target's observer mapping has no audit log: audit checks need an observer API like the reference SP's";
      case 'deleted':
        return this.fields.has('status')
          ? undefined
          : "the target's observer mapping has no status (observer.members.status in the target file)";
      default:
        return this.fields.has(what)
          ? undefined
          : `the target's observer mapping has no ${what} (observer.members.${what} in the target file)`;
    }
  }

  private async records(endpoint: MappedEndpoint, items: JsonPath): Promise<unknown[]> {
    const r = await requestJson<unknown>(
      'observer mapping',
      'GET',
      endpoint.url,
      this.token,
      undefined,
      15_000,
      this.config.headers,
    );
    if (r.status >= 400)
      throw new HarnessError(
        'ERR_TARGET_PROTOCOL',
        `observer mapping: GET ${endpoint.url} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`,
      );
    return items.all(r.body);
  }

  protected async readMembers(): Promise<ObservedMember[]> {
    return (await this.records(this.config.members, this.memberItems)).flatMap(
      (r) => this.fields.read(r) ?? [],
    );
  }

  protected override async readSessions(): Promise<ObservedSession[]> {
    if (!this.config.sessions || !this.sessionItems || !this.sessionEmail)
      throw new HarnessError('ERR_INTERNAL', this.cannotSee('sessions'));
    const records = await this.records(this.config.sessions, this.sessionItems);
    return records.flatMap((r) => {
      const email = this.sessionEmail!.first(r);
      return typeof email === 'string' && email ? [{ email }] : [];
    });
  }
}
