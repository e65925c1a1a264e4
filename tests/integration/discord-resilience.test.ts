import { afterEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/shared/result.js';
import type { Reply } from '../../src/core/model/message.js';
import type { Engine } from '../../src/core/ports/engine.js';
import { fakeConfig, startAgainstFake, type RunningTestAdapter } from '../fakes/discord/harness.js';
import { ScriptedEngine } from '../fakes/discord/scripted-engine.js';
import { FakeDiscord, textOf, type FakeDiscordOptions } from '../fakes/discord/server.js';
import { ChannelKind, Intent, type UserJson } from '../fakes/discord/state.js';
import { waitFor } from '../fakes/discord/wait.js';

describe('Discord adapter when things go wrong', () => {
  let fake: FakeDiscord;
  let engine: ScriptedEngine;
  let running: RunningTestAdapter | undefined;
  let ada: UserJson;

  async function setUp(options: FakeDiscordOptions = {}, engineUnderTest?: Engine): Promise<RunningTestAdapter> {
    fake = await FakeDiscord.start(options);
    engine = new ScriptedEngine();
    ada = fake.addUser('ada');
    running = await startAgainstFake(fake, engineUnderTest ?? engine, { deferAfterMs: 100 });
    return running;
  }

  afterEach(async () => {
    await running?.adapter.stop();
    running = undefined;
    await fake.stop();
  });

  /** Starts an interview by mentioning the bot in #general (the plain-text path). */
  async function interviewByMention(): Promise<string> {
    fake.mention(ada, fake.general.id, 'interview metrics');
    const thread = await waitFor(() => fake.threadsOf(fake.general.id)[0], 'the interview thread');
    await fake.waitForBotMessage(thread.id, (text) => text.includes('Question 1/2'), 'question 1');
    return thread.id;
  }

  it('GIVEN an interview in a thread WHEN the gateway connection drops and the answer arrives meanwhile THEN the client resumes and the answer is graded once', async () => {
    const { adapter } = await setUp();
    const thread = await interviewByMention();
    const pointer = await fake.waitForBotMessage(fake.general.id, (text) => text.includes(`<#${thread}>`), 'the public pointer');
    expect(pointer.json.message_reference).toBeDefined();

    fake.gateway.drop();
    await waitFor(() => !adapter.isReady(), 'the adapter to notice the disconnect');
    // Sent while the bot is offline: Discord keeps it for the RESUME replay.
    fake.say(ada, thread, 'Precision is TP / (TP + FP).');
    expect(fake.gateway.connected).toBe(false);

    await fake.waitForBotMessage(thread, (text) => text.includes('Feedback on question 1'), 'feedback after the resume');
    expect(fake.gateway.resumes).toBe(1);
    expect(fake.gateway.identifies).toBe(1);
    await waitFor(() => adapter.isReady(), 'the adapter to be ready again');
    expect(engine.graded.map((graded) => graded.answer)).toEqual(['Precision is TP / (TP + FP).']);

    // And the interview simply goes on.
    fake.say(ada, thread, 'Recall matters when missing a positive is costly.');
    await fake.waitForBotMessage(thread, (text) => text.includes('Interview summary'), 'the summary');
    expect(engine.graded).toHaveLength(2);
  });

  it('GIVEN the Message Content intent is off in the portal THEN the bot connects without it, explains itself once in the thread, and form and mention answers still work', async () => {
    const { logger } = await setUp({ allowMessageContent: false });
    expect(fake.gateway.closeCodes).toContain(4014);
    expect(fake.gateway.has(Intent.MessageContent)).toBe(false);
    expect(logger.entries.some((entry) => entry.level === 'warn' && entry.msg.includes('Message Content intent'))).toBe(true);

    const thread = await interviewByMention();
    fake.say(ada, thread, 'an answer the bot cannot read');
    fake.say(ada, thread, 'and another one');
    const note = await fake.waitForBotMessage(thread, (text) => text.includes("can't read plain messages"), 'the explanation');
    expect(textOf(note)).toContain('Answer in a form');

    // A mention is readable without the intent.
    fake.mention(ada, thread, 'Precision is TP / (TP + FP).');
    await fake.waitForBotMessage(thread, (text) => text.includes('Feedback on question 1'), 'feedback on the mention answer');
    expect(engine.graded.map((graded) => graded.answer)).toEqual(['Precision is TP / (TP + FP).']);
    expect(fake.botMessages(thread).filter((message) => textOf(message).includes("can't read plain messages"))).toHaveLength(1);

    // So is the form.
    const question = await fake.waitForBotMessage(thread, (text) => text.includes('Question 2/2'), 'question 2');
    const formId = fake.customIds(question).find((id) => id.startsWith('mlec:answer-form:'));
    const press = fake.press(ada, question.json.id, formId ?? 'missing');
    const modal = (await fake.waitForCallback(press)).data as { custom_id: string };
    fake.submitModal(ada, thread, modal.custom_id, { answer: 'Recall, when misses are expensive.' }, question.json.id);
    await fake.waitForBotMessage(thread, (text) => text.includes('Interview summary'), 'the summary');
    expect(engine.graded.map((graded) => graded.answer)).toEqual(['Precision is TP / (TP + FP).', 'Recall, when misses are expensive.']);
  });

  it('GIVEN the bot may not create private threads THEN the interview opens a public thread', async () => {
    await setUp({ privateThreads: false });
    const interaction = fake.slash(ada, fake.general.id, 'interview', { track: 'mlops' });
    await fake.waitForCallback(interaction);
    const thread = await waitFor(() => fake.threadsOf(fake.general.id)[0], 'a thread');
    expect(thread.type).toBe(ChannelKind.PublicThread);
    await fake.waitForBotMessage(thread.id, (text) => text.includes('Question 1/2'), 'question 1 in the public thread');
    expect(engine.attached[0]?.conversation.threadId).toBe(thread.id);
  });

  it('GIVEN Discord fails the feedback post WHEN the user answers THEN the grade is kept and the feedback is re-sent as plain text', async () => {
    const { logger } = await setUp();
    const thread = await interviewByMention();
    fake.rest.failNext({ method: 'POST', path: new RegExp(`^/channels/${thread}/messages$`), status: 500, code: 0, message: 'Internal Server Error' });
    fake.say(ada, thread, 'Precision is TP / (TP + FP).');
    const plain = await fake.waitForBotMessage(thread, (text) => text.includes('Feedback on question 1'), 'the plain-text feedback');
    expect(plain.json.embeds).toEqual([]);
    expect(plain.json.content).toMatch(/\*\*Feedback on question 1\*\*/);
    expect(plain.json.content).toContain('||Precision is TP');
    expect(engine.graded).toHaveLength(1);
    expect(logger.entries.some((entry) => entry.level === 'warn' && entry.msg.includes('retrying as plain text'))).toBe(true);
  });

  it('GIVEN Discord refuses every post WHEN the user answers THEN the answer is still graded and the failure is logged without secrets', async () => {
    const { logger } = await setUp();
    const thread = await interviewByMention();
    fake.rest.failNext({ method: 'POST', path: new RegExp(`^/channels/${thread}/messages$`), status: 403, code: 50013, message: 'Missing Permissions', times: 10 });
    fake.say(ada, thread, 'Precision is TP / (TP + FP).');
    await waitFor(() => logger.entries.find((entry) => entry.level === 'error' && entry.msg.includes('could not be delivered')), 'the delivery error');
    expect(engine.graded.map((graded) => graded.answer)).toEqual(['Precision is TP / (TP + FP).']);
    expect(JSON.stringify(logger.entries)).not.toContain(fake.token);
  });

  it('GIVEN the deferred reply can no longer be edited THEN the answer is posted in the channel instead', async () => {
    await setUp();
    engine.delays.ask = 200;
    fake.rest.failNext({ method: 'PATCH', path: /^\/webhooks\/.*\/messages\/@original$/, status: 404, code: 10015, message: 'Unknown Webhook' });
    const interaction = fake.slash(ada, fake.general.id, 'ask', { question: 'what is calibration?' });
    expect((await fake.waitForCallback(interaction)).type).toBe(5);
    const posted = await fake.waitForBotMessage(fake.general.id, (text) => text.includes('Calibration means'), 'the fallback post');
    expect(posted.via).toBe('channel');
  });

  it('GIVEN the engine throws THEN the user gets an apology with a reference id that is in the log', async () => {
    const failing: Engine = {
      handle: async (): Promise<Reply[]> => {
        throw new Error('database is locked');
      },
      attachThread: async () => {},
    };
    const { logger } = await setUp({}, failing);
    const interaction = fake.slash(ada, fake.general.id, 'progress');
    await fake.waitForCallback(interaction);
    const apology = await fake.waitForBotMessage(fake.general.id, (text) => text.includes('something went wrong'), 'the apology');
    expect(apology.ephemeral).toBe(true);
    const ref = /reference `([0-9a-f]{8})`/.exec(textOf(apology))?.[1];
    expect(ref).toBeDefined();
    expect(logger.entries.some((entry) => entry.level === 'error' && JSON.stringify(entry.obj).includes(ref ?? 'no reference'))).toBe(true);
  });

  it('GIVEN a wrong token THEN startDiscord fails with an actionable error', async () => {
    fake = await FakeDiscord.start();
    engine = new ScriptedEngine();
    const config = { ...fakeConfig(fake), DISCORD_TOKEN: 'not-the-token' };
    const failure = await startAgainstFake(fake, engine, {}, config).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UserFacingError);
    expect((failure as UserFacingError).id).toBe('discord.token');
    expect((failure as UserFacingError).message).not.toContain('not-the-token');
  });
});
