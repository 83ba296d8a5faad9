import { seededRandom } from '../../src/grading/seeded-random';
import { describeSchedule, drawSchedules, replayHint } from './schedules';

describe('schedules', () => {
  it('draws the same schedule seeds from the same stream, and distinct ones for each schedule', () => {
    const first = drawSchedules(seededRandom('grading', 'schedules/deposits'), 6);
    expect(drawSchedules(seededRandom('grading', 'schedules/deposits'), 6)).toEqual(first);
    expect(new Set(first.map((schedule) => schedule.seed)).size).toBe(6);
    expect(first.every((schedule) => /^[0-9a-f]{8}$/.test(schedule.seed))).toBe(true);
    expect(drawSchedules(seededRandom('other', 'schedules/deposits'), 6)).not.toEqual(first);
  });

  it('names a schedule and the command that replays the grading', () => {
    expect(describeSchedule({ number: 3, count: 6, seed: '5f2c9a1b' })).toBe(
      'schedule 3 of 6 (seed 5f2c9a1b)',
    );
    expect(replayHint('async-bank', 'abc123')).toBe(
      'replay it with: npx lockstep grade --exercise async-bank <your file> --seed abc123',
    );
  });

  it('refuses a case with no schedule', () => {
    expect(() => drawSchedules(() => 0.5, 0)).toThrow('a case needs at least one schedule, got 0');
  });
});
