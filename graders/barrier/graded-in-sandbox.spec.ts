import { describeMessagesInSandbox } from '../lib/testing/graded-in-sandbox';

describeMessagesInSandbox(
  'barrier',
  {
    'count-in-a-field.ts': {
      'finishes-in-time':
        /^deadlock after [\d,]+ ms with 2 parties, one of them late: thread 1 still blocked in wait\(\) of round 1: waits on state\[\d+\] == 0, still 0; thread 2 still blocked in wait\(\) of round 1/,
      'waits-for-all': /^could not be checked: no thread ever returned from wait\(\)$/,
    },
    'counter-reset-race.ts': {
      reusable:
        /^thread \d had got through [\d,]+ rounds? when the barrier got stuck: deadlock after [\d,]+ ms with [235] parties: thread \d still blocked in wait\(\) of round [\d,]+/,
    },
    'notify-wakes-one.ts': {
      'finishes-in-time':
        /^deadlock after [\d,]+ ms with 3 parties, one of them late: thread [12] still blocked in wait\(\) of round 1: waits on state\[\d+\] == 0, now 1 — nobody woke it \(lost wake-up\)$/,
    },
    'one-shot.ts': {
      reusable:
        /^thread [12] left wait\(\) in round 2 when only 1 of 2 parties had arrived with 2 parties: a barrier must work again in every round, without a reset$/,
      'one-true-per-round':
        /^in round 2 of [\d,]+ with 2 parties, wait\(\) returned true in no thread instead of exactly one$/,
    },
    'releases-one-party-early.ts': {
      'waits-for-all':
        /^thread 1 left wait\(\) in round 1 when only 1 of 2 parties had arrived \(thread 2 arrived 150 ms after the others\) with 2 parties, one of them late$/,
    },
    'sleeps-on-the-count.ts': {
      'finishes-in-time':
        /^deadlock after [\d,]+ ms with 2 parties, one of them late: thread 1 still blocked in wait\(\) of round 1: waits on state\[\d+\] == 1, now 0 — nobody woke it \(lost wake-up\)$/,
    },
    'spin-wait.ts': {
      'waiters-sleep':
        /^thread 1 used about [\d,]+ ms of CPU in wait\(\) while thread 2 arrived 150 ms after the others with 2 parties, one of them late \(at most 50 ms allowed\): a waiting thread must sleep in Atomics\.wait, not spin/,
    },
    'true-for-every-sleeper.ts': {
      'one-true-per-round':
        /^in round [\d,]+ of [\d,]+ with [235] parties(, one of them late)?, wait\(\) returned true in (no thread|[2-5] threads) instead of exactly one$/,
    },
  },
  {
    'waits-for-all':
      /^no thread left wait\(\) before every party had arrived, with 2, 3, 5 parties and a party 150 ms late$/,
    'one-true-per-round': /^wait\(\) returned true in exactly one thread in each of [\d,]+ rounds$/,
    reusable: /^the same barrier worked up to [\d,]+ rounds in a row with 2, 3, 5 parties, never reset$/,
    'finishes-in-time': /^all 6 runs finished; the longest took [\d,]+ ms$/,
  },
);
