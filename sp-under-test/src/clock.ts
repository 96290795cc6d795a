/** The SP's notion of now. Tests and the harness may freeze or move it through the admin API. */
export interface Clock {
  now(): Date;
}
export class SystemClock implements Clock {
  private offsetMs = 0;
  private frozenAt: number | undefined;
  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
  }
  freeze(at: Date): void {
    this.frozenAt = at.getTime();
  }
}
