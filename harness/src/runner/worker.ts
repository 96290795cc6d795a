/**
 * A worker of the runner, as a thread (started through worker-boot.mjs) or a process: owns one
 * mock IdP, one driver factory and one target, and runs the cases the runner sends it one at a
 * time. Started by worker-pool.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { DriverFactory } from '../drivers/driver.js';
import { MockIdp } from '../env/idp.js';
import type { Target } from '../env/target.js';
import { HarnessError } from '../errors.js';
import { runCase } from './run-case.js';
import { createDriverFactory } from './driver-factory.js';
import { createTarget } from './target-spec.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const send = (m: FromWorker) => (parentPort ? parentPort.postMessage(m) : process.send?.(m));

let state:
  | { idp: MockIdp; target: Target; drivers: DriverFactory; init: Extract<ToWorker, { type: 'init' }> }
  | undefined;

async function stop(code = 0): Promise<never> {
  if (state) {
    await state.drivers.close().catch(() => undefined);
    await state.idp.close().catch(() => undefined);
    await state.target.close().catch(() => undefined);
  }
  // In a worker thread this ends the thread only.
  process.exit(code);
}

const onMessage = (m: ToWorker) => {
  void (async () => {
    try {
      if (m.type === 'init') {
        const target = await createTarget(m.targetSpec);
        const idp = await MockIdp.start(target.idpListen?.());
        const drivers = await createDriverFactory(m.driver);
        state = { idp, target, drivers, init: m };
        send({ type: 'ready' });
      } else if (m.type === 'run') {
        if (!state) throw new Error('run before init');
        const { init } = state;
        const result = await runCase(m.run, {
          idp: state.idp,
          target: state.target,
          drivers: state.drivers,
          stepTimeoutMs: init.stepTimeoutMs,
          reportsDir: init.reportsDir,
          seed: init.seed,
        });
        send({ type: 'result', index: m.index, result });
      } else if (m.type === 'stop') {
        await stop(0);
      }
    } catch (e) {
      send({
        type: 'fatal',
        code: e instanceof HarnessError ? e.code : 'ERR_INTERNAL',
        message: (e as Error)?.message ?? String(e),
      });
      await stop(1);
    }
  })();
};

if (parentPort) parentPort.on('message', onMessage);
else {
  process.on('message', onMessage);
  process.on('disconnect', () => void stop(0));
}
