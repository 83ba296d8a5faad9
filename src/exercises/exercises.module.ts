import { Module } from '@nestjs/common';
import { ExerciseSyncService } from './exercise-sync.service';
import { ExercisesController } from './exercises.controller';
import { ExercisesRepository } from './exercises.repository';

@Module({
  controllers: [ExercisesController],
  providers: [ExercisesRepository, ExerciseSyncService],
  exports: [ExercisesRepository],
})
export class ExercisesModule {}
