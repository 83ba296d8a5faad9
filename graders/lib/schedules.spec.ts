import { seededRandom } from '../../src/grading/seeded-random';
import type { CheckRecorder } from '../grader-api';
import { CheckTally, fail, pass } from './check-tally';
import { describeSchedule, drawSchedules, recordOnSchedule, replayHint } from './schedules';

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

  it('records a failure with its schedule and the replay command, and a pass once per case', () => {
    const log: string[] = [];
    const recorder: CheckRecorder = {
      pass: (id, message) => log.push(`pass ${id}: ${message}`),
      fail: (id, message) => log.push(`fail ${id}: ${message}`),
    };
    const tally = new CheckTally(recorder);
    const [first, second] = drawSchedules(seededRandom('g', 's'), 2);
    const where = (schedule: typeof first) => ({ caseLabel: 'case 1 of 1', schedule, replay: 'replay it' });
    recordOnSchedule(tally, 'time', pass('2.0x faster'), where(first));
    recordOnSchedule(tally, 'time', pass('2.0x faster'), where(second));
    recordOnSchedule(tally, 'order', pass(), where(first));
    recordOnSchedule(tally, 'order', fail('result 0 is for b'), where(second));
    tally.finish();
    expect(log).toEqual([
      `fail order: case 1 of 1, on schedule 2 of 2 (seed ${second.seed}): result 0 is for b (replay it)`,
      'pass time: case 1 of 1: 2.0x faster',
    ]);
  });
});
