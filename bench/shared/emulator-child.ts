import { gatewayAccounts } from '../../emulator/control/apps.control';
import { startEmulator } from '../../emulator/server';
import type { WorldOptionsInput } from '../../emulator/options';
import { onStopMessage } from './child-process';

/**
 * The emulator in its own process for a bench: world options as JSON in BENCH_WORLD. Sends its URL and the
 * gateway account entries pointing at it.
 */
async function main(): Promise<void> {
  const world = JSON.parse(process.env.BENCH_WORLD ?? '{}') as WorldOptionsInput;
  const started = Date.now();
  const emu = await startEmulator({ ...world, recorderSize: 0 });
  onStopMessage(() => emu.close());
  process.send!({
    type: 'ready',
    url: emu.url,
    accounts: gatewayAccounts(emu.state, emu.url),
    persons: emu.state.world.persons.count,
    seedMs: Date.now() - started,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
