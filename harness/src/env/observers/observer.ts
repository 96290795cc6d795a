import { HarnessError } from '../../errors.js';

/**
 * Where the harness reads an SP's state from. Three kinds, chosen in the target file:
 * - `reference-api`: an observer API shaped like the reference SP's (`/api/admin/workspaces/:ws/…`);
 * - `scim`: the SP's own SCIM 2.0 server (RFC 7644 §3.4.2): members, status and roles of Users;
 * - `mapping`: any JSON endpoints of the SP, read through JSONPaths the target file declares.
 * Each can see some parts of the state; a check on a part it cannot see is not applicable.
 */
export type ObserverKind = 'reference-api' | 'scim' | 'mapping';

/** What a result says graded it on state: one of the observer kinds, or `none` when no state was read. */
export type GradedBy = ObserverKind | 'none';

export interface ObservedMember {
  email: string;
  name: string;
  /** `active`, `deactivated`, `deleted`, or the SP's own word where the observer maps none. */
  status: string;
  /** Role per environment. */
  roles: Record<string, string>;
  groups?: string[];
  authMethod?: string;
}
export interface ObservedSession {
  email: string;
}
export interface ObservedAuditEvent {
  source: string;
  action: string;
  subject: string | null;
  details: Record<string, unknown>;
}

/** A part of the state an observer may or may not show. */
export type Observable =
  'name' | 'status' | 'deleted' | 'roles' | 'groups' | 'authMethod' | 'sessions' | 'audit';

export interface Observer {
  readonly kind: ObserverKind;
  /** Where it reads from, for reports: "the SP's SCIM server at https://…". */
  readonly description: string;
  /** Whether any check of the run read state through it. */
  readonly used: boolean;
  /** Why this observer cannot show a part of the state; undefined when it can. */
  cannotSee(what: Observable): string | undefined;
  members(): Promise<ObservedMember[]>;
  /** One member by email (case-insensitive), or undefined. */
  member(email: string): Promise<ObservedMember | undefined>;
  sessions(): Promise<ObservedSession[]>;
  audit(): Promise<ObservedAuditEvent[]>;
}

/** The parts of Observer every kind shares: use tracking and the refusal of what it cannot see. */
export abstract class BaseObserver implements Observer {
  abstract readonly kind: ObserverKind;
  abstract readonly description: string;
  private reads = 0;

  get used(): boolean {
    return this.reads > 0;
  }

  protected noteRead(): void {
    this.reads++;
  }

  abstract cannotSee(what: Observable): string | undefined;
  protected abstract readMembers(): Promise<ObservedMember[]>;
  protected readSessions(): Promise<ObservedSession[]> {
    return Promise.reject(new HarnessError('ERR_INTERNAL', this.cannotSee('sessions')));
  }
  protected readAudit(): Promise<ObservedAuditEvent[]> {
    return Promise.reject(new HarnessError('ERR_INTERNAL', this.cannotSee('audit')));
  }

  members(): Promise<ObservedMember[]> {
    this.noteRead();
    return this.readMembers();
  }
  async member(email: string): Promise<ObservedMember | undefined> {
    const all = await this.members();
    return all.find((m) => m.email.toLowerCase() === email.toLowerCase());
  }
  sessions(): Promise<ObservedSession[]> {
    this.noteRead();
    return this.readSessions();
  }
  audit(): Promise<ObservedAuditEvent[]> {
    this.noteRead();
    return this.readAudit();
  }
}
