import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ExerciseCatalog } from './exercise-catalog';
import { ExercisesRepository } from './exercises.repository';

/** At API start-up, makes the database's exercises match the folders under exercises/. */
@Injectable()
export class ExerciseSyncService implements OnModuleInit {
  private readonly logger = new Logger('Exercises');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly exercises: ExercisesRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    // A broken exercise folder stops start-up: serving an exercise that cannot be graded would be worse.
    const catalog = ExerciseCatalog.load(this.config.exercisesDir);
    const result = await this.exercises.sync(catalog.list(), this.config.courseSlug);
    const changed = result.newVersions.length ? `; new versions: ${result.newVersions.join(', ')}` : '';
    this.logger.log(`${catalog.list().length} exercises from ${this.config.exercisesDir}${changed}`);
  }
}
