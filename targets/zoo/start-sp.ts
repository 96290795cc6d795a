/**
 * Starts a zoo SP through its own start.sh, on free ports, and waits for its "listening on" line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { spDir, type ZooSp } from './sps.js';

export interface RunningSp {
  url: string;
  ports: { sp: number; idp: number };
  /** What the SP printed (stdout and stderr), for a report when something goes wrong. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Signals the start script's process group: the script and whatever it started. */
const signalGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
};

const stopChild = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });

export async function startSp(sp: ZooSp, timeoutMs = 90_000): Promise<RunningSp> {
  const ports = { sp: await freePort(), idp: await freePort() };
  const child = spawn('bash', [join(spDir(sp), 'start.sh')], {
    env: { ...process.env, SP_PORT: String(ports.sp), IDP_PORT: String(ports.idp) },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a server that signals its group when it stops (Apache does) cannot
    // reach the runner, and stopping the SP reaches everything the script started.
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`${sp.name} did not start within ${timeoutMs / 1000} s:\n${out}`));
    }, timeoutMs);
    const onData = () => {
      const m = / listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${sp.name} exited (${code}) before listening:\n${out}`));
    });
  });
  return { url, ports, output: () => out, stop: () => stopChild(child) };
}
