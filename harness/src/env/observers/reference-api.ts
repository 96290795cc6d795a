import { expectOk } from '../clients.js';
import {
  BaseObserver,
  type ObservedAuditEvent,
  type ObservedMember,
  type ObservedSession,
} from './observer.js';

/** Reads the SP's state through an observer API shaped like the reference SP's (`/api/admin/workspaces/:ws/…`). */
export class ReferenceApiObserver extends BaseObserver {
  readonly kind = 'reference-api';
  readonly description: string;

  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
    private readonly workspace: string,
  ) {
    super();
    this.description = `the observer API at ${baseUrl}/api/admin (workspace ${workspace})`;
  }

  cannotSee(): undefined {
    return undefined;
  }

  private url(rest: string) {
    return `${this.baseUrl}/api/admin/workspaces/${encodeURIComponent(this.workspace)}/${rest}`;
  }
  protected readMembers() {
    return expectOk<ObservedMember[]>('observer', 'GET', this.url('members'), this.token);
  }
  protected override readSessions() {
    return expectOk<ObservedSession[]>('observer', 'GET', this.url('sessions'), this.token);
  }
  protected override readAudit() {
    return expectOk<ObservedAuditEvent[]>('observer', 'GET', this.url('audit'), this.token);
  }
}
