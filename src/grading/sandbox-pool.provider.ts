import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SandboxPool } from '../sandbox/sandbox-pool';

/** The worker's pool of sandbox processes, sized by configuration and stopped with the application. */
@Injectable()
export class SandboxPoolHolder implements OnApplicationShutdown {
  readonly pool: SandboxPool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { sandboxProcesses, sandboxOsLimits, sandboxMemoryMb, sandboxPids, sandboxJobsPerProcess } =
      config.grading;
    this.pool = new SandboxPool({
      size: sandboxProcesses,
      exercisesDir: config.exercisesDir,
      maxJobsPerProcess: sandboxJobsPerProcess,
      osLimits: { enabled: sandboxOsLimits === 'auto', memoryMb: sandboxMemoryMb, pids: sandboxPids },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }
}
