import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscord } from '../../src/adapters/discord/index.js';
import type { RunningAdapter } from '../../src/app/context.js';
import { bootstrap, type App } from '../../src/app/bootstrap.js';
import { recordingLogger, TEST_REST } from '../fakes/discord/harness.js';
import { FakeDiscord, textOf } from '../fakes/discord/server.js';
import { ChannelKind, type StoredMessage, type UserJson } from '../fakes/discord/state.js';
import { waitFor } from '../fakes/discord/wait.js';
import { cleanup, tempDir, testConfig } from '../support/app.js';

/**
 * The real engine (bootstrap with a temporary data dir, offline grader) behind the real adapter,
 * driven through the fake Discord: what a user in a server would see.
 */
describe('Discord adapter with the real engine', () => {
  let fake: FakeDiscord;
  let app: App;
  let dataDir: string;
  let adapter: RunningAdapter;
  let ada: UserJson;
  let bob: UserJson;
  const logger = recordingLogger();

  const start = () => startDiscord(app, { rest: TEST_REST, readyTimeoutMs: 10_000 });

  beforeAll(async () => {
    fake = await FakeDiscord.start();
    ada = fake.addUser('ada');
    bob = fake.addUser('bob');
    dataDir = tempDir('mle-coach-discord-');
    app = await bootstrap(
      testConfig(dataDir, { DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.state.applicationId, DISCORD_REST_API_URL: fake.apiUrl }),
      { logger },
    );
    adapter = await start();
  });

  afterAll(async () => {
    await adapter?.stop();
    await app?.close();
    await fake?.stop();
    cleanup(dataDir);
  });

  const newest = (channelId: string, pattern: RegExp, seen: number, what: string): Promise<StoredMessage> =>
    waitFor(() => fake.botMessages(channelId).slice(seen).find((message) => pattern.test(textOf(message))), what, 15_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- transcript ---\n${fake.transcript(channelId)}\n--- general ---\n${fake.transcript(fake.general.id)}`);
    });

  /** Waits for what follows feedback; an optional follow-up is declined with `next`. */
  async function afterFeedback(thread: string, seen: number, then: RegExp, what: string): Promise<StoredMessage> {
    const next = await newest(thread, new RegExp(`Follow-up \\(optional\\)|${then.source}`), seen, what);
    if (!textOf(next).includes('Follow-up (optional)')) return next;
    fake.say(ada, thread, 'next');
    return newest(thread, then, seen, what);
  }

  it('GIVEN /coach interview WHEN the user answers by message, asks a hint and answers in the form THEN the interview completes in its thread', async () => {
    const interaction = fake.slash(ada, fake.general.id, 'interview', { track: 'metrics', questions: 2 });
    const callback = await fake.waitForCallback(interaction, 'the interview acknowledgement', 10_000);
    expect(callback.at - interaction.dispatchedAt).toBeLessThan(3_000);
    const thread = await waitFor(() => fake.threadsOf(fake.general.id)[0], 'the interview thread', 10_000);
    expect(thread.type).toBe(ChannelKind.PrivateThread);
    const intro = await newest(thread.id, /Mock interview: metrics/, 0, 'the intro in the thread');
    expect(intro.json.content).toContain(`<@${ada.id}>`);
    const first = await newest(thread.id, /Question 1\/2/, 0, 'question 1');
    expect(fake.customIds(first).map((id) => id.split(':')[1])).toEqual(['hint', 'skip', 'end', 'answer-form']);

    // Question 1: a plain message in the thread.
    let seen = fake.botMessages(thread.id).length;
    fake.say(ada, thread.id, 'Precision is TP / (TP + FP): of everything we flagged as positive, the share that really is positive. It matters when false positives are costly, for example spam filtering.');
    const feedback = await newest(thread.id, /Score: \d{1,3}\/100/, seen, 'feedback on question 1');
    expect(feedback.json.embeds[0]?.color).toBeDefined();
    const second = await afterFeedback(thread.id, seen, /Question 2\/2/, 'question 2');

    // A hint, by button.
    seen = fake.botMessages(thread.id).length;
    const hintId = fake.customIds(second).find((id) => id.startsWith('mlec:hint:')) ?? '';
    fake.press(ada, second.json.id, hintId);
    await newest(thread.id, /Hint 1\/|no hints/i, seen, 'the hint');

    // Question 2: in the form.
    seen = fake.botMessages(thread.id).length;
    const formId = fake.customIds(second).find((id) => id.startsWith('mlec:answer-form:')) ?? '';
    const press = fake.press(ada, second.json.id, formId);
    const modal = (await fake.waitForCallback(press)).data as { custom_id: string };
    fake.submitModal(ada, thread.id, modal.custom_id, { answer: 'Recall is TP / (TP + FN). Prefer it when missing a positive is expensive, like fraud or cancer screening; trade it against precision with the threshold.' }, second.json.id);
    await newest(thread.id, /Score: \d{1,3}\/100/, seen, 'feedback on the form answer');
    await afterFeedback(thread.id, seen, /Interview complete/, 'the summary');

    // Nothing the bot sent was refused, and nothing pinged anyone but Ada.
    expect(fake.rest.requests.filter((request) => request.status >= 400)).toEqual([]);
    for (const message of fake.state.messages.values()) {
      if (message.json.author.id !== fake.bot.id) continue;
      expect(message.pings.everyone).toBe(false);
      expect(message.pings.users.every((id) => id === ada.id)).toBe(true);
    }
  });

  it('GIVEN /coach progress after an interview THEN it answers privately, with the chart attached', async () => {
    const interaction = fake.slash(ada, fake.general.id, 'progress');
    await fake.waitForCallback(interaction, 'the progress acknowledgement', 10_000);
    const progress = await waitFor(() => fake.botMessages(fake.general.id).find((message) => message.interactionId === interaction.id && textOf(message).includes('Your progress')), 'progress', 15_000);
    expect(progress.ephemeral).toBe(true);
    const [chart] = progress.json.attachments;
    expect(chart?.filename).toMatch(/\.png$/);
    expect(progress.json.embeds[0]?.image?.url).toBe(`attachment://${chart?.filename}`);
  });

  it('GIVEN an interview started by mention WHEN the bot restarts THEN the next answer in the thread is graded against the same question', async () => {
    const before = fake.threadsOf(fake.general.id).length;
    fake.mention(bob, fake.general.id, 'interview mlops --questions 1');
    const thread = await waitFor(() => fake.threadsOf(fake.general.id)[before], 'a second interview thread', 10_000);
    await newest(thread.id, /Mock interview: mlops/, 0, 'the intro');
    await newest(thread.id, /Question 1\/1/, 0, 'the question');

    await adapter.stop();
    expect(adapter.isReady()).toBe(false);
    adapter = await start();
    expect(adapter.isReady()).toBe(true);
    expect(fake.gateway.identifies).toBe(2);

    const seen = fake.botMessages(thread.id).length;
    fake.say(bob, thread.id, 'Version the data, code and model together, deploy behind a canary, monitor input drift and latency, and keep a rollback path.');
    await newest(thread.id, /Score: \d{1,3}\/100/, seen, 'feedback after the restart');
    expect(fake.botMessages(thread.id).slice(seen).some((message) => /Question 1\/1/.test(textOf(message)))).toBe(false);
    expect(JSON.stringify(logger.entries)).not.toContain(fake.token);
  });
});
