import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startAgainstFake, type RunningTestAdapter } from '../fakes/discord/harness.js';
import { ScriptedEngine } from '../fakes/discord/scripted-engine.js';
import { FakeDiscord, textOf } from '../fakes/discord/server.js';
import { ChannelKind, Intent, type StoredMessage, type UserJson } from '../fakes/discord/state.js';
import { waitFor } from '../fakes/discord/wait.js';

const EPHEMERAL = 1 << 6;

describe('Discord adapter (real discord.js against a local fake Discord)', () => {
  let fake: FakeDiscord;
  let engine: ScriptedEngine;
  let running: RunningTestAdapter;
  let ada: UserJson;
  let bob: UserJson;

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    engine = new ScriptedEngine();
    ada = fake.addUser('ada');
    bob = fake.addUser('bob');
    running = await startAgainstFake(fake, engine, { deferAfterMs: 100, typingAfterMs: 50 });
  });

  afterEach(async () => {
    await running.adapter.stop();
    await fake.stop();
  });

  /** The bot's latest message in a channel that carries a button for `action`, and that button's id. */
  function button(channelId: string, action: string): { message: StoredMessage; customId: string } {
    const messages = fake.botMessages(channelId).reverse();
    for (const message of messages) {
      const customId = fake.customIds(message).find((id) => id.startsWith(`mlec:${action}:`));
      if (customId) return { message, customId };
    }
    throw new Error(`no ${action} button in ${channelId}`);
  }

  /** Starts an interview with `/coach interview` and returns the thread it moved to. */
  async function startInterview(user: UserJson): Promise<string> {
    const interaction = fake.slash(user, fake.general.id, 'interview', { track: 'metrics', level: 'hard', questions: 2 });
    await fake.waitForCallback(interaction);
    const thread = await waitFor(() => fake.threadsOf(fake.general.id).at(-1), 'an interview thread');
    await fake.waitForBotMessage(thread.id, (text) => text.includes('Question 1/2'), 'the first question');
    return thread.id;
  }

  it('GIVEN the bot logs in THEN it identifies with only the intents it needs and is ready', async () => {
    expect(running.adapter.isReady()).toBe(true);
    expect(fake.gateway.intents).toBe(Intent.Guilds | Intent.GuildMessages | Intent.DirectMessages | Intent.MessageContent);
    expect(running.posters.map((poster) => poster.platform)).toEqual(['discord']);
  });

  it('GIVEN a slow engine WHEN a user runs /coach ask THEN the command is deferred within 3 s and the deferred reply is edited with the answer', async () => {
    engine.delays.ask = 400;
    const interaction = fake.slash(ada, fake.general.id, 'ask', { question: 'what is calibration?' });
    const callback = await fake.waitForCallback(interaction);
    expect(callback.type).toBe(5);
    expect(callback.at - interaction.dispatchedAt).toBeLessThan(3_000);
    const answer = await fake.waitForBotMessage(fake.general.id, (text) => text.includes('Calibration means'), 'the edited answer');
    expect(answer.json.id).toBe(interaction.originalId);
    expect(answer.edits).toBe(1);
    expect(answer.ephemeral).toBe(false);
    expect(engine.received[0]).toMatchObject({ platform: 'discord', userId: `discord:${ada.id}`, text: 'ask what is calibration?', conversation: { channelId: fake.general.id, isDirect: false } });
  });

  it('GIVEN a quick engine WHEN a user runs /coach help THEN it answers at once, privately', async () => {
    const interaction = fake.slash(ada, fake.general.id, 'help');
    const callback = await fake.waitForCallback(interaction);
    expect(callback.type).toBe(4);
    const help = fake.botMessages(fake.general.id).find((message) => message.interactionId === interaction.id);
    expect(help?.ephemeral).toBe(true);
    expect(textOf(help!)).toContain('What I can do');
  });

  it('GIVEN /coach interview WHEN the user answers in the thread and uses the buttons THEN the whole interview runs in a private thread', async () => {
    const interaction = fake.slash(ada, fake.general.id, 'interview', { track: 'metrics', level: 'hard', questions: 2 });
    const callback = await fake.waitForCallback(interaction);
    // Acknowledged privately at once; the interview itself goes to a thread.
    expect(callback).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    expect(engine.received[0]?.text).toBe('interview metrics --level hard --questions 2');

    const thread = await waitFor(() => fake.threadsOf(fake.general.id)[0], 'the interview thread');
    const question = await fake.waitForBotMessage(thread.id, (text) => text.includes('What does precision measure?'), 'question 1');
    expect(thread).toMatchObject({ type: ChannelKind.PrivateThread, name: 'Mock interview: metrics', owner_id: fake.bot.id });
    expect(fake.state.threadMembers.get(thread.id)?.has(ada.id)).toBe(true);
    // The engine knew about the thread before the question was visible.
    expect(engine.attached).toEqual([{ sessionRef: 's1', conversation: { channelId: fake.general.id, threadId: thread.id, isDirect: false } }]);
    expect(question.json.content).toBe(`<@${ada.id}>`);
    expect(question.pings).toEqual({ everyone: false, users: [ada.id], roles: [] });
    expect(fake.customIds(question)).toEqual([`mlec:hint:${ada.id}:s1`, `mlec:skip:${ada.id}:s1`, `mlec:end:${ada.id}:s1`, `mlec:answer-form:${ada.id}:s1`]);
    const pointer = await fake.waitForBotMessage(fake.general.id, (text) => text.includes(`<#${thread.id}>`), 'the pointer to the thread');
    expect(pointer.ephemeral).toBe(true);

    // A plain message in the thread is the answer.
    fake.say(ada, thread.id, 'Precision is the share of predicted positives that are truly positive.');
    const feedback = await fake.waitForBotMessage(thread.id, (text) => text.includes('Feedback on question 1'), 'feedback');
    expect(engine.received.at(-1)?.conversation).toEqual({ channelId: fake.general.id, threadId: thread.id, isDirect: false });
    const embed = feedback.json.embeds[0];
    // The score colours the embed: green from 80, yellow from 50, red below.
    expect(embed?.color).toBe(engine.graded[0]!.score >= 80 ? 0x57f287 : 0xfee75c);
    expect(embed?.fields?.map((field) => field.name)).toEqual(['Your answer', 'Covered', 'Missed', 'Model answer']);
    expect(embed?.fields?.[3]?.value).toMatch(/^\|\|Precision is TP .*\|\|$/);
    await fake.waitForBotMessage(thread.id, (text) => text.includes('Question 2/2'), 'question 2');

    // Hint, by the owner.
    const hint = fake.press(ada, button(thread.id, 'hint').message.json.id, button(thread.id, 'hint').customId);
    expect((await fake.waitForCallback(hint)).type).toBe(4);
    await fake.waitForBotMessage(thread.id, (text) => text.includes('Think about false positives'), 'the hint');
    expect(engine.received.at(-1)).toMatchObject({ text: '', action: { id: 'hint', value: 's1' } });

    // Someone else pressing Skip gets a private note and the engine never hears of it.
    const handled = engine.received.length;
    const intruder = fake.press(bob, button(thread.id, 'skip').message.json.id, button(thread.id, 'skip').customId);
    const note = await fake.waitForCallback(intruder);
    expect(note).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    expect(JSON.stringify(note.data)).toContain('belong to');
    expect(engine.received.length).toBe(handled);

    // End, by the owner.
    const end = fake.press(ada, button(thread.id, 'end').message.json.id, button(thread.id, 'end').customId);
    await fake.waitForCallback(end);
    const summary = await fake.waitForBotMessage(thread.id, (text) => text.includes('Interview summary'), 'the summary');
    expect(summary.ephemeral).toBe(false);
    expect(engine.graded).toHaveLength(1);
  });

  it('GIVEN an interview WHEN the user presses "Answer in a form" and submits it THEN the modal answer is graded in the thread', async () => {
    const thread = await startInterview(ada);
    const form = button(thread, 'answer-form');
    const press = fake.press(ada, form.message.json.id, form.customId);
    const shown = await fake.waitForCallback(press);
    expect(shown.type).toBe(9);
    const modal = shown.data as { custom_id: string; components: { component: { custom_id: string; max_length: number } }[] };
    expect(modal.custom_id).toBe(`mlec:submit-answer:${ada.id}`);
    expect(modal.components[0]?.component).toMatchObject({ custom_id: 'answer', max_length: 4000 });
    expect(engine.received).toHaveLength(1);

    const longAnswer = `Precision = TP / (TP + FP).\n\n${'It matters when false alarms are costly. '.repeat(40)}`;
    const submit = fake.submitModal(ada, thread, modal.custom_id, { answer: longAnswer }, form.message.json.id);
    await fake.waitForCallback(submit);
    const feedback = await fake.waitForBotMessage(thread, (text) => text.includes('Feedback on question 1'), 'feedback on the form answer');
    expect(feedback.interactionId).toBe(submit.id);
    expect(engine.received.at(-1)).toMatchObject({ text: '', action: { id: 'submit-answer', value: longAnswer }, conversation: { threadId: thread } });
    expect(engine.graded[0]?.answer).toBe(longAnswer);
  });

  it('GIVEN an answer containing @everyone, a role and another user WHEN the bot quotes it THEN nobody is pinged', async () => {
    const thread = await startInterview(ada);
    const hostile = `@everyone @here <@&${fake.state.adminRoleId}> <@${bob.id}> precision is TP/(TP+FP)`;
    fake.say(ada, thread, hostile);
    await fake.waitForBotMessage(thread, (text) => text.includes('Feedback on question 1'), 'feedback');
    // The plain-text path: the engine echoes unknown text in a plain message.
    fake.mention(bob, fake.general.id, hostile);
    const echo = await fake.waitForBotMessage(fake.general.id, (text) => text.includes('I did not understand'), 'the echo');
    expect(echo.json.content).not.toMatch(/@everyone|@here|<@&\d+>|<@!?\d+>/);

    const botMessages = [...fake.state.messages.values()].filter((message) => message.json.author.id === fake.bot.id);
    for (const message of botMessages) {
      expect(message.pings.everyone).toBe(false);
      expect(message.pings.roles).toEqual([]);
      expect(message.pings.users.every((id) => id === ada.id)).toBe(true);
      expect(message.json.mention_everyone).toBe(false);
    }
    expect(echo.pings.users).toEqual([]);
  });

  it('GIVEN feedback with a 4,000-character model answer WHEN it is posted THEN it is split within every Discord limit and nothing is lost', async () => {
    const sentences = Array.from({ length: 80 }, (_, index) => `Sentence ${index} explains one more detail of precision and recall.`);
    engine.modelAnswer = sentences.join(' ').slice(0, 4000);
    expect(engine.modelAnswer.length).toBe(4000);
    const thread = await startInterview(ada);
    fake.say(ada, thread, 'Precision counts how many flagged items are right.');
    await fake.waitForBotMessage(thread, (text) => text.includes('Question 2/2'), 'the next question after the feedback');

    const refused = fake.rest.requests.filter((request) => request.status >= 400);
    expect(refused).toEqual([]);
    const feedback = fake.botMessages(thread).filter((message) => message.json.embeds.some((embed) => embed.color !== undefined && textOf(message).includes('Sentence')));
    expect(feedback.length).toBeGreaterThanOrEqual(1);
    for (const message of feedback) {
      expect(message.json.content.length).toBeLessThanOrEqual(2000);
      expect(message.json.embeds.length).toBeLessThanOrEqual(10);
      const total = message.json.embeds.reduce((sum, embed) => sum + (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.fields ?? []).reduce((n, field) => n + field.name.length + field.value.length, 0) + (embed.footer?.text.length ?? 0), 0);
      expect(total).toBeLessThanOrEqual(6000);
      for (const embed of message.json.embeds) {
        expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
        for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(1024);
      }
    }
    const spoilers = feedback.flatMap((message) => [...textOf(message).matchAll(/\|\|([\s\S]*?)\|\|/g)].map((match) => match[1] ?? ''));
    expect(spoilers.join(' ').replace(/\s+/g, ' ')).toBe(engine.modelAnswer.replace(/\s+/g, ' '));
  });

  it('GIVEN a long plain reply WHEN it is posted THEN each message stays under 2,000 characters', async () => {
    const words = Array.from({ length: 700 }, (_, index) => `w${index}`).join(' ');
    fake.mention(ada, fake.general.id, words);
    await waitFor(() => fake.botMessages(fake.general.id).length >= 2 && fake.botMessages(fake.general.id), 'the split echo');
    const parts = fake.botMessages(fake.general.id);
    expect(parts.every((message) => message.json.content.length <= 2000)).toBe(true);
    expect(parts.map((message) => message.json.content).join(' ')).toContain('w699');
  });

  it('GIVEN a slow engine and a private answer to a public-looking command THEN the deferred message is closed and the answer follows privately', async () => {
    engine.delays.quiz = 300;
    const interaction = fake.slash(ada, fake.general.id, 'quiz');
    expect(await fake.waitForCallback(interaction)).toMatchObject({ type: 5, data: { flags: 0 } });
    const privateNote = await fake.waitForBotMessage(fake.general.id, (text) => text.includes('no quiz scheduled'), 'the private answer');
    expect(privateNote.ephemeral).toBe(true);
    const original = fake.state.messages.get(interaction.originalId ?? '');
    expect(original && textOf(original)).toBe('I sent you a private reply.');
  });

  it('GIVEN a slow engine WHEN a user mentions the bot THEN the channel shows the bot typing', async () => {
    engine.delays.ask = 150;
    fake.mention(ada, fake.general.id, 'ask something slow');
    await fake.waitForBotMessage(fake.general.id, (text) => text.includes('Calibration means'), 'the answer');
    expect(fake.rest.requests.some((request) => request.method === 'POST' && request.path === `/channels/${fake.general.id}/typing`)).toBe(true);
  });

  it('GIVEN a member with Manage Server THEN the engine is told they are an admin, by slash command and by mention', async () => {
    const admin = fake.addUser('grace', { admin: true });
    await fake.waitForCallback(fake.slash(admin, fake.general.id, 'help'));
    fake.mention(admin, fake.general.id, 'help');
    fake.mention(bob, fake.general.id, 'help');
    await waitFor(() => engine.received.length === 3, 'three messages');
    expect(engine.received.map((message) => message.isAdmin)).toEqual([true, true, false]);
  });

  it('GIVEN the track option WHEN the user types THEN autocomplete offers matching tracks', async () => {
    const interaction = fake.autocomplete(ada, fake.general.id, 'interview', { name: 'track', value: 'ml' });
    const callback = await fake.waitForCallback(interaction);
    expect(callback.type).toBe(8);
    const choices = (callback.data as { choices: { name: string }[] }).choices.map((choice) => choice.name);
    expect(choices[0]).toBe('mlops');
    expect(choices).toContain('ml-system-design');
    expect(choices.length).toBeLessThanOrEqual(25);
  });

  it('GIVEN a DM WHEN the user writes in the plain grammar THEN the engine gets a direct conversation and the answer comes back in the DM', async () => {
    fake.dm(ada, 'ask what is AUC');
    const dm = fake.dmChannelOf(ada);
    await fake.waitForBotMessage(dm.id, (text) => text.includes('Calibration means'), 'the DM answer');
    expect(engine.received[0]).toMatchObject({ text: 'ask what is AUC', conversation: { channelId: dm.id, isDirect: true } });
  });

  it('GIVEN a mention asking for private information THEN it is sent by DM, or a note when DMs are closed', async () => {
    fake.mention(ada, fake.general.id, 'progress');
    const dm = fake.dmChannelOf(ada);
    await fake.waitForBotMessage(dm.id, (text) => text.includes('Your progress'), 'progress by DM');
    expect(fake.botMessages(fake.general.id).some((message) => textOf(message).includes('Your progress'))).toBe(false);

    fake.state.closedDms.add(bob.id);
    fake.mention(bob, fake.general.id, 'progress');
    const note = await fake.waitForBotMessage(fake.general.id, (text) => text.includes('DMs are closed'), 'the closed-DM note');
    expect(note.pings.users).toEqual([bob.id]);
    expect(textOf(note)).not.toContain('Answers graded');
  });

  it('GIVEN another user chatting in an interview thread THEN their plain messages are not taken as answers', async () => {
    const thread = await startInterview(ada);
    fake.state.threadMembers.get(thread)?.add(bob.id);
    fake.say(bob, thread, 'good luck!');
    fake.say(ada, thread, 'Precision is TP over predicted positives.');
    await fake.waitForBotMessage(thread, (text) => text.includes('Feedback on question 1'), 'feedback');
    expect(engine.received.map((message) => message.userId)).not.toContain(`discord:${bob.id}`);
  });

  it('GIVEN the adapter WHEN it stops THEN it is no longer ready and in-flight work finished', async () => {
    engine.delays.ask = 150;
    fake.mention(ada, fake.general.id, 'ask slow question');
    await waitFor(() => engine.received.length === 1, 'the engine call');
    await running.adapter.stop();
    expect(running.adapter.isReady()).toBe(false);
    expect(fake.botMessages(fake.general.id).some((message) => textOf(message).includes('Calibration'))).toBe(true);
    const secrets = JSON.stringify(running.logger.entries);
    expect(secrets).not.toContain(fake.token);
  });
});
