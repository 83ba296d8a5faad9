import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ExerciseDetail, ExerciseSummary, toExerciseDetail, toExerciseSummary } from './exercise-view';
import { ExercisesRepository } from './exercises.repository';

@ApiTags('exercises')
@ApiBearerAuth()
@Controller('exercises')
export class ExercisesController {
  constructor(private readonly exercises: ExercisesRepository) {}

  @Get()
  @ApiOkResponse({ type: [ExerciseSummary] })
  async list(): Promise<ExerciseSummary[]> {
    return (await this.exercises.list()).map(toExerciseSummary);
  }

  @Get(':slug')
  @ApiOkResponse({ type: ExerciseDetail })
  @ApiNotFoundResponse({ description: 'no exercise with this slug' })
  async get(@Param('slug') slug: string): Promise<ExerciseDetail> {
    const exercise = await this.exercises.findBySlug(slug);
    if (!exercise)
      throw new NotFoundException(`there is no exercise "${slug}"; GET /api/exercises lists them`);
    return toExerciseDetail(exercise);
  }
}
