import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../src/core/model/message.js';
import type { ChannelPoster } from '../../src/core/ports/poster.js';
import { startAgainstFake, type RunningTestAdapter } from '../fakes/discord/harness.js';
import { ScriptedEngine } from '../fakes/discord/scripted-engine.js';
import { FakeDiscord, textOf } from '../fakes/discord/server.js';
import { ChannelKind } from '../fakes/discord/state.js';

/** A 1x1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('Discord channel poster (daily quiz posts)', () => {
  let fake: FakeDiscord;
  let running: RunningTestAdapter;
  let poster: ChannelPoster;

  beforeEach(async () => {
    fake = await FakeDiscord.start();
    running = await startAgainstFake(fake, new ScriptedEngine());
    const registered = running.posters[0];
    if (!registered) throw new Error('no poster registered');
    poster = registered;
  });

  afterEach(async () => {
    await running.adapter.stop();
    await fake.stop();
  });

  it('GIVEN a quiz post with openThread THEN it is posted, a public thread is started on it, and anyone may press its answer button', async () => {
    const quiz = reply({
      kind: 'quiz',
      title: "Today's question",
      sections: [{ body: 'What is the difference between ROC AUC and PR AUC?' }],
      buttons: [{ action: 'quiz-answer', label: 'Answer', value: 'q1', style: 'primary' }],
      openThread: { name: 'Quiz: ROC vs PR AUC' },
    });
    const ref = await poster.post(fake.general.id, [quiz]);
    expect(ref.channelId).toBe(fake.general.id);
    expect(ref.threadId).toBe(ref.messageId);
    const thread = fake.state.channels.get(ref.threadId ?? '');
    expect(thread).toMatchObject({ type: ChannelKind.PublicThread, parent_id: fake.general.id, name: 'Quiz: ROC vs PR AUC' });
    const post = fake.botMessages(fake.general.id)[0];
    expect(post && fake.customIds(post)).toEqual(['mlec:quiz-answer:*:q1']);
    expect(post?.pings).toEqual({ everyone: false, users: [], roles: [] });

    const anyone = fake.addUser('carol');
    const press = fake.press(anyone, post?.json.id ?? '', 'mlec:quiz-answer:*:q1');
    expect((await fake.waitForCallback(press)).type).toBe(9);

    await poster.postInThread(ref, [reply({ kind: 'info', sections: [{ body: 'Answers close in 24 hours.' }] })]);
    expect(fake.botMessages(ref.threadId ?? '').map(textOf)).toEqual(['Answers close in 24 hours.']);

    await poster.react?.(ref, post?.json.id ?? '', '✅');
    expect(fake.state.reactions).toEqual([{ channelId: ref.threadId, messageId: post?.json.id, emoji: '✅' }]);
  });

  it('GIVEN a reply with a chart image THEN the PNG is uploaded with the message and shown in the embed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mle-coach-discord-'));
    try {
      const chart = join(dir, 'progress.png');
      writeFileSync(chart, PNG);
      await poster.post(fake.general.id, [reply({ kind: 'progress', title: 'Weekly board', images: [{ path: chart, alt: 'chart' }] })]);
      const upload = fake.rest.requests.find((request) => request.method === 'POST' && request.path.endsWith('/messages'));
      expect(upload?.files).toEqual([{ name: 'progress.png', size: PNG.length }]);
      const posted = fake.botMessages(fake.general.id)[0];
      expect(posted?.json.attachments.map((attachment) => attachment.filename)).toEqual(['progress.png']);
      expect(posted?.json.embeds[0]?.image).toEqual({ url: 'attachment://progress.png' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('GIVEN an unknown channel THEN posting fails loudly', async () => {
    await expect(poster.post('999', [reply({ kind: 'info', sections: [{ body: 'x' }] })])).rejects.toThrow();
  });
});
