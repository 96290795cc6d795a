/**
 * The terminal the console reporters share. On a TTY it can keep one status line at the
 * bottom that updates in place; lines written by reporters go above it. Elsewhere (CI, a
 * pipe, a file) there is no status line and everything is plain lines.
 */
export class ConsoleOut {
  private status = '';
  constructor(
    private readonly stream: {
      write(s: string): unknown;
      isTTY?: boolean;
      columns?: number;
    } = process.stdout,
    readonly live: boolean = isLiveTerminal(stream),
  ) {}

  /** Writes text (which may be a partial line). */
  write(text: string): void {
    if (this.status) this.stream.write('\r\x1b[2K');
    this.stream.write(text);
    if (this.status && text.endsWith('\n')) this.stream.write(this.status);
  }

  line(text: string): void {
    this.write(text + '\n');
  }

  /** Shows (or replaces) the status line; a no-op when the output is not live. */
  setStatus(text: string): void {
    if (!this.live) return;
    const width = Math.max(20, (this.stream.columns || 100) - 1);
    const fitted = text.length > width ? text.slice(0, width - 1) + '…' : text;
    this.stream.write('\r\x1b[2K' + fitted);
    this.status = fitted;
  }

  clearStatus(): void {
    if (!this.status) return;
    this.stream.write('\r\x1b[2K');
    this.status = '';
  }
}

/** A live display needs a TTY and no CI: `CI=true` (set by GitHub Actions, GitLab and others) means plain lines. */
export function isLiveTerminal(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  return Boolean(stream.isTTY) && !ci;
}

let shared: ConsoleOut | undefined;
/** The process's stdout console, shared by the list, dot and progress reporters. */
export function stdoutConsole(): ConsoleOut {
  shared ??= new ConsoleOut();
  return shared;
}
