import 'reflect-metadata';
import { loadConfigOrExit, startWorker } from './main';

// `npm run start:worker`: the worker role whatever LOCKSTEP_ROLE says. Configuration validation
// refuses it without DATABASE_URL and REDIS_URL: a worker apart from the API needs shared services.
startWorker(loadConfigOrExit({ ...process.env, LOCKSTEP_ROLE: 'worker' })).catch((error: Error) => {
  process.stderr.write(`Lockstep worker failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
