/**
 * `npm run simulator`: runs the simulator on 127.0.0.1 until interrupted.
 * The port comes from `PORT` (default 8787).
 */
import { DEFAULT_PORT, startSimulator } from './server';

function portFromEnv(): number {
  const raw = process.env.PORT;
  if (raw === undefined || raw.trim() === '') return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be an integer between 0 and 65535, got "${raw}"`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const sim = await startSimulator({ port: portFromEnv(), host: '127.0.0.1' });
  console.log(`Text2FA simulator listening on ${sim.url}`);
  console.log(`API base URL: ${sim.baseUrl}`);
  console.log(`Demo token:   ${sim.demoToken}`);
  console.log(`Control API:  ${sim.url}/__sim/ (see simulator/README.md)`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, stopping the simulator.`);
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  console.error(code === 'EADDRINUSE' ? `Port already in use; set PORT to another one.` : error);
  process.exit(1);
});
