import { Module } from '@nestjs/common';
import { CoursesRepository } from '../courses/courses.repository';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  providers: [UsersRepository, UsersService, CoursesRepository],
  exports: [UsersService, CoursesRepository],
})
export class UsersModule {}
