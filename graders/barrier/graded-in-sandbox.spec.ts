import { describeMessagesInSandbox } from '../lib/testing/graded-in-sandbox';

/** Which controlled run, with its strategy, schedule and shape: what a failure found by the scheduler names. */
const RUN = String.raw`controlled run \d+ of (?:80|100|60) \((?:random|PCT depth [23]), schedule [0-9a-f]{8}\) with [235] parties, [34] rounds each`;
const DEADLOCK = String.raw`deadlock on ${RUN}: no thread could move: thread \d \(in wait\(\) of round \d\) sleeps on state\[\d+\] until it is no longer \d+ \(it is \d+\)`;

describeMessagesInSandbox(
  'barrier',
  {
    'count-in-a-field.ts': {
      'finishes-in-time': new RegExp(
        String.raw`^deadlock on ${RUN}: no thread could move: thread 1 \(in wait\(\) of round 1\) sleeps on state\[\d+\] until it is no longer 0 \(it is 0\); thread 2 \(in wait\(\) of round 1\) sleeps on state\[\d+\]`,
      ),
      'waits-for-all': /^could not be checked: no thread ever returned from wait\(\)$/,
    },
    'counter-reset-race.ts': {
      // A thread of the next round set the count again before the slow waiter looked.
      reusable: new RegExp(
        String.raw`^the barrier got stuck after thread \d had got through [\d,]+ rounds?: ${DEADLOCK}.*Who waits for whom: .* Last steps: .*Atomics\.add on state\[(?<count>\d+)\]: 0 -> 1; .*went to sleep on state\[\k<count>\] \(= 1\)$`,
      ),
      'finishes-in-time': new RegExp(`^${DEADLOCK}`),
    },
    'notify-wakes-one.ts': {
      'finishes-in-time': new RegExp(
        String.raw`^${DEADLOCK}.* Nobody woke thread \d after state\[\d+\] changed: a lost wake-up\. Who waits for whom: thread \d waits for thread \d \(state\[\d+\] = \d+, set by thread \d\)`,
      ),
    },
    'one-shot.ts': {
      reusable: new RegExp(
        String.raw`^thread [12] left wait\(\) in round [2-4] when only 1 of 2 parties had called it \(thread [12] had not\) on ${RUN}: a barrier must work again in every round, without a reset\. Steps up to its return: .*thread [12]'s wait\(\) returned (true|false) in round [2-4]$`,
      ),
      'one-true-per-round': new RegExp(
        String.raw`^in round [2-4] of 4, wait\(\) returned true in no thread instead of exactly one on ${RUN}\. Steps of round [2-4]: .+$`,
      ),
    },
    'releases-one-party-early.ts': {
      'waits-for-all': new RegExp(
        String.raw`^thread [12] left wait\(\) in round 1 when only 1 of 2 parties had called it \(thread [12] had not\) on ${RUN}\. Steps up to its return: thread [12] called wait\(\) in round 1; .*thread [12]'s wait\(\) returned true in round 1$`,
      ),
    },
    'sleeps-on-the-count.ts': {
      // The round ends with a notify on one cell while the others sleep on another.
      'finishes-in-time': new RegExp(
        String.raw`^${DEADLOCK}.* Last steps: .*notified state\[(?<notified>\d+)\], waking 0 threads; .*went to sleep on state\[(?!\k<notified>\])\d+\] \(= \d+\)$`,
      ),
    },
    'spin-wait.ts': {
      'waiters-sleep':
        /^thread 1 used about [\d,]+ ms of CPU in wait\(\) while thread 2 arrived 150 ms after the others with 2 parties, one of them late \(at most 50 ms allowed\): a waiting thread must sleep in Atomics\.wait, not spin/,
    },
    'true-for-every-sleeper.ts': {
      'one-true-per-round': new RegExp(
        String.raw`^in round [1-4] of [34], wait\(\) returned true in (no thread|[2-5] threads) instead of exactly one on ${RUN}\. Steps of round [1-4]: .+$`,
      ),
    },
  },
  {
    'waits-for-all':
      /^no thread left wait\(\) before every party had arrived, in [\d,]+ controlled runs with 2, 3, 5 parties, and in real runs with 2, 3, 5 parties and a party 150 ms late$/,
    'one-true-per-round': /^wait\(\) returned true in exactly one thread in each of [\d,]+ rounds$/,
    reusable:
      /^the same barrier worked in every round of [\d,]+ controlled runs with 2, 3, 5 parties, and up to [\d,]+ rounds in a row on real threads with 2, 3, 5 parties, never reset$/,
    'finishes-in-time':
      /^no deadlock in [\d,]+ controlled runs; all 6 real runs finished, the longest in [\d,]+ ms$/,
  },
);
