import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/bootstrap.js';
import { replyToPlainText } from '../../src/core/model/message.js';
import { ChatDriver, FakeClock, cleanup, startApp, tempDir } from '../support/app.js';

let dir: string;
let app: App;
let clock: FakeClock;
let chat: ChatDriver;

function currentQuestion(userId = 'test:alice') {
  const session = app.store.activeSession(userId);
  if (!session) throw new Error('no active session');
  const question = app.bank.question(session.questionIds[session.index] ?? '');
  if (!question) throw new Error('question missing');
  return { session, question };
}

beforeEach(async () => {
  dir = tempDir();
  clock = new FakeClock(new Date('2026-03-02T10:00:00Z'));
  app = await startApp(dir, clock);
  chat = new ChatDriver(app);
});

afterEach(async () => {
  await app.close();
  cleanup(dir);
});

describe('commands', () => {
  it('GIVEN a new user WHEN they say help THEN every command is listed from the one command list', async () => {
    const text = await chat.sendText('help');
    for (const command of ['interview', 'quiz', 'ask', 'hint', 'skip', 'repeat', 'end', 'progress', 'settings']) expect(text).toContain(command);
  });

  it('GIVEN no interview WHEN the user types free text THEN it is answered as a question with sources', async () => {
    const replies = await chat.send('when is ROC AUC misleading?');
    expect(replies[0]?.kind).toBe('answer');
    expect(replyToPlainText(replies[0]!)).toContain('roc-auc');
  });

  it('GIVEN a typo in a command WHEN it is sent THEN the reply suggests the right command', async () => {
    expect(await chat.sendText('/intervew metrics')).toContain('Did you mean `interview`');
  });

  it('GIVEN no interview WHEN the user says hint THEN they are told how to start one', async () => {
    expect(await chat.sendText('hint')).toContain('interview');
  });
});

describe('a mock interview', () => {
  it('GIVEN an interview WHEN the user gives the model answer THEN the score is shown as NN/100 with covered points quoting the user and a follow-up follows', async () => {
    const start = await chat.send('interview metrics --questions 2');
    expect(start.some((reply) => reply.kind === 'question')).toBe(true);
    const { question } = currentQuestion();
    const replies = await chat.send(question.rubric.modelAnswer);
    const feedback = replies.find((reply) => reply.kind === 'feedback');
    expect(feedback).toBeDefined();
    expect(feedback?.title).toMatch(/\d{1,3}\/100/);
    expect(feedback?.score).toBeGreaterThanOrEqual(70);
    const text = replyToPlainText(feedback!);
    expect(text).toContain('you said');
    expect(feedback?.sections.find((section) => section.heading === 'Model answer')?.collapsed).toBe(true);
    expect(replies.at(-1)?.kind).toBe('follow-up');
  });

  it('GIVEN a weak answer WHEN graded THEN missed points point to a knowledge passage', async () => {
    await chat.send('interview metrics --questions 1');
    const replies = await chat.send('I would just train a model and look at the accuracy number to decide.');
    const text = replies.map(replyToPlainText).join('\n');
    expect(text).toContain('Missed');
    expect(text).toMatch(/read: .+ › .+ \(`[a-z0-9-]+#[a-z0-9-]+`\)/);
  });

  it('GIVEN a follow-up WHEN the user says next THEN the next question comes and no question repeats in the interview', async () => {
    await chat.send('interview metrics --questions 3');
    const seen = new Set<string>();
    for (let index = 0; index < 3; index += 1) {
      const { question } = currentQuestion();
      expect(seen.has(question.id)).toBe(false);
      seen.add(question.id);
      await chat.send('Precision and recall trade off against each other at different thresholds.');
      if (app.store.activeSession('test:alice')?.status === 'awaiting-follow-up') await chat.send('next');
    }
    expect(app.store.activeSession('test:alice')).toBeUndefined();
  });

  it('GIVEN an interview WHEN the user takes two hints THEN the maximum score drops with each tier', async () => {
    await chat.send('interview metrics --questions 1');
    expect(await chat.sendText('hint')).toContain('at most 85/100');
    expect(await chat.sendText('hint')).toContain('at most 70/100');
    const { question } = currentQuestion();
    const replies = await chat.send(question.rubric.modelAnswer);
    expect(replies.find((reply) => reply.kind === 'feedback')?.score).toBeLessThanOrEqual(70);
  });

  it('GIVEN an interview WHEN the user ends it THEN a summary with per-area scores and what to study next is shown', async () => {
    await chat.send('interview metrics --questions 2');
    await chat.send('Accuracy is all you need.');
    await chat.send('next');
    const text = await chat.sendText('end');
    expect(text).toContain('Interview ended');
    expect(text).toContain('evaluation-metrics');
    expect(text).toContain('Study next');
  });

  it('GIVEN an answer sent in parts with a leading ... WHEN the last part arrives THEN the parts are graded together', async () => {
    await chat.send('interview metrics --questions 1');
    expect(await chat.sendText('... first part of my answer about thresholds')).toContain('Send the rest');
    const replies = await chat.send('and the second part about recall.');
    expect(replies.some((reply) => reply.kind === 'feedback')).toBe(true);
  });

  it('GIVEN a system-design interview WHEN answering THEN the engine asks phase by phase and grades each phase', async () => {
    const start = await chat.sendText('interview system-design --questions 1');
    expect(start).toContain('Phase 1/');
    expect(start).toContain('clarify');
    const replies = await chat.send('I would ask about scale, latency requirements, and who the users are.');
    const text = replies.map(replyToPlainText).join('\n');
    expect(text).toMatch(/Phase 1\/\d \(clarify\): \d+\/100/);
    expect(text).toContain('Phase 2/');
  });
});

describe('progress and persistence', () => {
  it('GIVEN graded answers WHEN the user asks for progress THEN mastery per area, weakest areas, due reviews and recent scores are shown', async () => {
    await chat.send('interview metrics --questions 1');
    const { question } = currentQuestion();
    await chat.send(question.rubric.modelAnswer);
    const replies = await chat.send('progress');
    const text = replyToPlainText(replies[0]!);
    expect(replies[0]?.private).toBe(true);
    expect(text).toContain('Mastery by area');
    expect(text).toContain('evaluation-metrics');
    expect(text).toContain('Weakest areas');
    expect(text).toContain('Reviews due');
    expect(text).toContain('Recent scores');
  });

  it('GIVEN an interview in progress WHEN the bot restarts THEN the next answer is graded against the same question', async () => {
    await chat.send('interview metrics --questions 2');
    const before = currentQuestion();
    await app.close();
    app = await startApp(dir, clock);
    chat = new ChatDriver(app);
    const after = currentQuestion();
    expect(after.question.id).toBe(before.question.id);
    const repeated = await chat.send('repeat');
    expect(replyToPlainText(repeated[0]!)).toContain(before.question.question.slice(0, 40));
    const replies = await chat.send(before.question.rubric.modelAnswer);
    expect(replies.find((reply) => reply.kind === 'feedback')?.score).toBeGreaterThanOrEqual(70);
  });

  it('GIVEN an idle interview WHEN more than the session TTL passes THEN it expires with a note and partial results are kept', async () => {
    await chat.send('interview metrics --questions 3');
    await chat.send('Precision is TP over TP plus FP.');
    clock.advance(3 * 3600_000);
    const text = await chat.sendText('what is calibration');
    expect(text).toContain('expired');
    expect(app.store.answers('test:alice').length).toBeGreaterThanOrEqual(1);
    expect(app.store.activeSession('test:alice')).toBeUndefined();
  });

  it('GIVEN two messages of one user at once WHEN processed THEN they run in order', async () => {
    await chat.send('interview metrics --questions 2');
    const [first, second] = await Promise.all([chat.send('hint'), chat.send('hint')]);
    expect(replyToPlainText(first![0]!)).toContain('Hint 1/');
    expect(replyToPlainText(second![0]!)).toContain('Hint 2/');
  });

  it('GIVEN settings WHEN the user changes timezone, level and tracks THEN they are saved; forget me deletes everything', async () => {
    expect(await chat.sendText('settings timezone Europe/Berlin')).toContain('Europe/Berlin');
    expect(await chat.sendText('settings level hard')).toContain('hard');
    expect(await chat.sendText('settings tracks metrics mlops')).toContain('metrics, mlops');
    expect(await chat.sendText('settings timezone Mars/Olympus')).toContain('not an IANA timezone');
    await chat.send('interview --questions 1');
    expect(app.store.activeSession('test:alice')?.level).toBe('hard');
    await chat.send('forget me');
    expect(app.store.getUser('test:alice')).toBeUndefined();
    expect(app.store.answers('test:alice')).toEqual([]);
  });
});

describe('bad input', () => {
  it('GIVEN junk WHEN sent THEN each gets a short helpful reply and nothing crashes', async () => {
    expect(await chat.sendText('')).toContain('empty');
    expect(await chat.sendText('\u0000\u0001\u0002\u0003binary\u0004\u0005\u0006')).toContain('binary');
    expect(await chat.sendText('🔥🔥🚀')).toContain('words');
    const huge = 'gradient descent '.repeat(7000);
    const hugeReplies = await chat.send(huge);
    expect(hugeReplies.length).toBeGreaterThan(0);
    const html = await chat.sendText('<script>alert(1)</script> **bold** @everyone what is precision');
    expect(html.length).toBeGreaterThan(0);
  });

  it('GIVEN an answer longer than the limit WHEN graded THEN the first part is graded with a notice', async () => {
    await chat.send('interview metrics --questions 1');
    const long = `${'Precision is the share of predicted positives that are correct. '.repeat(200)}`;
    const text = (await chat.send(long)).map(replyToPlainText).join('\n');
    expect(text).toMatch(/I graded the first \d+/);
  });

  it('GIVEN an interview WHEN the user types only emoji THEN they are asked for words and the question stays', async () => {
    await chat.send('interview metrics --questions 1');
    expect(await chat.sendText('👍')).toContain('words');
    expect(app.store.activeSession('test:alice')?.status).toBe('awaiting-answer');
  });
});

describe('reading commands versus answers', () => {
  it('GIVEN an interview WHEN the user types a command with arguments THEN it runs as a command, not as an answer', async () => {
    await chat.send('interview metrics --questions 2');
    expect(await chat.sendText('interview mlops')).toContain('already have an interview running');
    expect(await chat.sendText('settings level hard')).toContain('hard');
    expect(app.store.answers('test:alice')).toEqual([]);
  });

  it('GIVEN an interview WHEN an answer starts with a command word THEN it is graded as the answer', async () => {
    await chat.send('interview metrics --questions 1');
    const replies = await chat.send('Ask which errors cost more, then pick the threshold from precision and recall.');
    expect(replies.some((reply) => reply.kind === 'feedback')).toBe(true);
  });

  it('GIVEN no interview WHEN a question starts with a command word THEN it is answered as a question', async () => {
    for (const text of ['skip connections in resnet', 'help me understand PCA', 'interview tips for system design', 'settings for xgboost learning rate']) {
      const replies = await chat.send(text);
      expect({ text, kind: replies[0]?.kind }).toEqual({ text, kind: 'answer' });
    }
    expect(await chat.sendText('forget')).toContain('forget me');
  });

  it('GIVEN a slash command inside an interview thread WHEN it arrives THEN ask runs as a command, not as an answer', async () => {
    await chat.send('interview metrics --questions 1');
    const replies = await chat.send('ask what is calibration', { fromSlashCommand: true });
    expect(replies[0]?.kind).toBe('answer');
  });
});

describe('system-design phases kept on skip and end', () => {
  it('GIVEN two phases answered WHEN the user skips the rest THEN the question is graded on the answered phases', async () => {
    await chat.send('interview system-design --questions 2');
    await chat.send('I would ask about the users, the scale and the latency we need.');
    await chat.send('The online metric is engagement; offline I would track precision at k.');
    const replies = await chat.send('skip');
    const text = replies.map(replyToPlainText).join('\n');
    expect(text).toMatch(/Score: \d+\/100/);
    expect(text).toContain('Phases not answered count as 0');
    expect(app.store.answers('test:alice')[0]?.skipped).toBe(false);
  });

  it('GIVEN one phase answered WHEN the user ends the interview THEN the summary counts the partial design', async () => {
    await chat.send('interview system-design --questions 1');
    await chat.send('I would ask about the users, the scale and the latency we need.');
    const text = await chat.sendText('end');
    expect(text).not.toContain('No questions were answered');
    expect(text).toContain('ml-system-design');
    expect(app.store.answers('test:alice')).toHaveLength(1);
  });
});

describe('second review round', () => {
  it('GIVEN a skipped daily question WHEN quiz is asked on the following days THEN each day brings a different, single-answer question', async () => {
    const seen = new Set<string>();
    for (let day = 0; day < 3; day += 1) {
      await chat.send('quiz');
      const { question } = currentQuestion();
      expect(question.phases).toEqual([]);
      expect(seen.has(question.id)).toBe(false);
      seen.add(question.id);
      await chat.send('skip');
      clock.advance(24 * 3600_000);
    }
  });

  it('GIVEN a whole design in the first phase WHEN the user skips the remaining phases THEN the design is scored on everything it covers', async () => {
    await chat.send('interview system-design --questions 1');
    const { question } = currentQuestion();
    await chat.send(question.rubric.modelAnswer);
    const replies = await chat.send('skip');
    const feedback = replies.find((reply) => reply.kind === 'feedback');
    expect(feedback?.score).toBeGreaterThanOrEqual(70);
    if ((feedback?.score ?? 0) < 85) expect(feedback?.title).not.toContain('excellent');
  });

  it('GIVEN two tracks and a level WHEN starting an interview THEN it draws from both tracks', async () => {
    await chat.send('interview metrics mlops hard --questions 4');
    const session = app.store.activeSession('test:alice');
    expect(session?.track).toBe('metrics+mlops');
    expect(session?.level).toBe('hard');
    const areas = new Set(session?.questionIds.map((id) => app.bank.question(id)?.area));
    expect([...areas].every((area) => ['evaluation-metrics', 'mlops', 'monitoring-drift', 'infrastructure'].includes(area ?? ''))).toBe(true);
  });

  it('GIVEN a skipped question WHEN the next interview starts an hour later THEN it does not come back yet', async () => {
    await chat.send('interview metrics --questions 1');
    const { question } = currentQuestion();
    await chat.send('skip');
    clock.advance(3600_000);
    await chat.send('interview metrics --questions 3');
    expect(app.store.activeSession('test:alice')?.questionIds).not.toContain(question.id);
  });
});

describe('interview threads in shared channels', () => {
  it("GIVEN Alice's interview in a channel thread WHEN Bob chats in that thread THEN the bot stays quiet, and Alice's messages there are her answers", async () => {
    const alice = new ChatDriver(app, 'test:alice', { channelId: 'general', isDirect: false });
    const started = await alice.send('interview metrics --questions 1');
    const sessionRef = started.find((item) => item.openThread)?.sessionRef;
    expect(sessionRef).toBeTruthy();
    await app.engine.attachThread(sessionRef!, { channelId: 'general', threadId: 'thread-1', isDirect: false });
    const bob = new ChatDriver(app, 'test:bob', { channelId: 'general', threadId: 'thread-1', isDirect: false });
    expect(await bob.send('good luck alice, this one is tricky')).toEqual([]);
    expect((await bob.send('help'))[0]?.kind).toBe('info');
    const inThread = new ChatDriver(app, 'test:alice', { channelId: 'general', threadId: 'thread-1', isDirect: false });
    const replies = await inThread.send('Precision is TP over TP plus FP and recall is TP over TP plus FN.');
    expect(replies.some((item) => item.kind === 'feedback')).toBe(true);
  });
});
