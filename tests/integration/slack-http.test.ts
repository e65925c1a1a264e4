import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { types } from '@slack/bolt';
import { reply, type IncomingMessage, type Reply } from '../../src/core/model/message.js';
import { renderReply } from '../../src/adapters/slack/blocks.js';
import { startSlack } from '../../src/adapters/slack/index.js';
import { FakeSlack, type RecordedCall } from '../fakes/slack/fakeSlack.js';
import { FAST, gate, RecordingLogger, ScriptedEngine, slackConfig, startRig, testContext, visibleText, waitUntil, type SlackRig } from '../fakes/slack/harness.js';
import {
  appHomeOpenedEvent,
  appMentionEvent,
  blockActionsPayload,
  eventEnvelope,
  eventRequest,
  interactionRequest,
  messageEvent,
  postSigned,
  signature,
  SIGNING_SECRET,
  slashCommandRequest,
  viewSubmissionPayload,
  type MessageFields,
} from '../fakes/slack/requests.js';

let rig: SlackRig;
/** An interview thread the bot opened before this test (its parent carries the bot's thread metadata). */
let thread: string;

beforeEach(async () => {
  rig = await startRig('http', { fake: { admins: ['UADMIN'] } });
  thread = rig.fake.seedMessage({ channel: 'C1', user: 'UBOT', bot_id: 'BBOT', text: 'Mock interview', metadata: { event_type: 'mle_coach_thread', event_payload: { session: 's0' } } });
});

afterEach(async () => {
  await rig.close();
});

function command(text: string, fields: { user?: string; channel?: string } = {}) {
  return postSigned(rig.eventsUrl, slashCommandRequest({ text, responseUrl: rig.fake.responseUrl('cmd'), ...fields }));
}

function event(body: Record<string, unknown>, headers?: Record<string, string>) {
  return postSigned(rig.eventsUrl, eventRequest(body, headers));
}

function message(fields: MessageFields) {
  return event(eventEnvelope(messageEvent(fields)));
}

function interaction(payload: Record<string, unknown>) {
  return postSigned(rig.eventsUrl, interactionRequest(payload));
}

function blocksOf(call: RecordedCall | undefined): types.KnownBlock[] {
  return (call?.params.blocks ?? []) as types.KnownBlock[];
}

function buttonIds(call: RecordedCall | undefined): string[] {
  return blocksOf(call)
    .filter((block): block is types.ActionsBlock => block.type === 'actions')
    .flatMap((block) => block.elements.map((element) => (element as types.Button).action_id ?? ''));
}

function posts(channel?: string): RecordedCall[] {
  return rig.fake.callsTo('chat.postMessage').filter((call) => channel === undefined || call.params.channel === channel);
}

/** Sends a harmless DM and waits for the engine to get it: everything sent before has been through the filters. */
async function settle(): Promise<void> {
  const marker = `settle-${Math.random()}`;
  await message({ text: marker, channel: 'DSETTLE', channelType: 'im', user: 'USETTLE' });
  await waitUntil(() => rig.engine.received.some((received) => received.text === marker), 'the settle message reached the engine');
}

const answerText = (received: IncomingMessage) => received.text || received.action?.value || '';

describe('GIVEN the Slack app in HTTP mode', () => {
  it('WHEN a request is unsigned, signed with the wrong secret, stale or tampered THEN Bolt answers 401 and the engine sees nothing', async () => {
    const request = slashCommandRequest({ text: 'progress', responseUrl: rig.fake.responseUrl('x') });
    const unsigned = await postSigned(rig.eventsUrl, { ...request, signature: null });
    const wrongSecret = await postSigned(rig.eventsUrl, { ...request, secret: 'not-the-secret' });
    const stale = await postSigned(rig.eventsUrl, { ...request, timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    const tampered = await postSigned(rig.eventsUrl, { ...request, signature: signature(SIGNING_SECRET, Math.floor(Date.now() / 1000), 'another body') });
    expect([unsigned.status, wrongSecret.status, stale.status, tampered.status]).toEqual([401, 401, 401, 401]);
    expect(rig.engine.received).toHaveLength(0);
    const valid = await postSigned(rig.eventsUrl, request);
    expect(valid.status).toBe(200);
    await waitUntil(() => rig.engine.received.length === 1, 'the one valid request reached the engine');
  });

  it('WHEN Slack verifies the request URL THEN the app echoes the challenge', async () => {
    const response = await event({ token: 'deprecated', challenge: 'challenge-123', type: 'url_verification' });
    expect(response.status).toBe(200);
    expect(response.text).toContain('challenge-123');
  });

  it('WHEN grading is slow THEN the slash command is acknowledged at once and the reply follows when grading ends', async () => {
    const grading = gate();
    rig.engine.script = async () => {
      await grading.promise;
      return [reply({ kind: 'feedback', score: 80, sections: [{ body: 'Good.' }] })];
    };
    const response = await command('interview metrics');
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(3000);
    await waitUntil(() => rig.engine.received.length === 1, 'the engine got the command');
    expect(posts()).toHaveLength(0);
    const threadAnswer = await message({ text: 'my answer', threadTs: thread });
    expect(threadAnswer.status).toBe(200);
    expect(threadAnswer.elapsedMs).toBeLessThan(3000);
    grading.open();
    await rig.fake.waitForCalls('chat.postMessage', 2);
  });

  it('WHEN Slack retries an event (X-Slack-Retry-Num) THEN it is processed once', async () => {
    const envelope = eventEnvelope(messageEvent({ text: 'answer once', threadTs: thread }));
    expect((await event(envelope)).status).toBe(200);
    const retry = await event(envelope, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.status).toBe(200);
    await settle();
    expect(rig.engine.received.filter((received) => received.text === 'answer once')).toHaveLength(1);
    expect(rig.logger.at('info').some((entry) => entry.msg?.includes('already handled'))).toBe(true);
  });

  it('WHEN a message is edited, deleted, posted by a bot, or is channel chatter THEN the engine never sees it', async () => {
    await message({ text: 'edited', threadTs: thread, subtype: 'message_changed' });
    await message({ text: 'deleted', threadTs: thread, subtype: 'message_deleted' });
    await message({ text: 'from a bot', threadTs: thread, botId: 'BOTHER', subtype: 'bot_message' });
    await message({ text: 'my own echo', threadTs: thread, user: 'UBOT' });
    await message({ text: 'top-level chatter' });
    await message({ text: 'a thread under a person', threadTs: '1700000000.000009', parentUserId: 'U2' });
    await settle();
    expect(rig.engine.received.map((received) => received.text)).toEqual([expect.stringMatching(/^settle-/)]);
  });

  it("WHEN people reply in threads under the bot's messages after a restart THEN only quiz threads and the interviewee's own interview thread count, checked once per thread", async () => {
    const askAnswer = rig.fake.seedMessage({ channel: 'C1', user: 'UBOT', bot_id: 'BBOT', text: 'Calibration is...', blocks: [{ type: 'section', block_id: 'x1' }] });
    const quizPost = rig.fake.seedMessage({ channel: 'C1', user: 'UBOT', bot_id: 'BBOT', text: 'Daily quiz', blocks: [{ type: 'header', block_id: 'mle-coach-thread' }] });
    const adasInterview = rig.fake.seedMessage({ channel: 'C1', user: 'UBOT', bot_id: 'BBOT', text: 'Mock interview', blocks: [{ type: 'header', block_id: 'mle-coach-thread:U1' }] });
    await message({ text: 'thanks!', threadTs: askAnswer });
    await message({ text: 'thanks again', threadTs: askAnswer });
    await message({ text: 'first answer', threadTs: thread });
    await message({ text: 'second answer', threadTs: thread });
    await message({ text: 'quiz answer', threadTs: quizPost, user: 'U2' });
    await message({ text: 'good luck Ada!', threadTs: adasInterview, user: 'U2' });
    await message({ text: 'ada answers', threadTs: adasInterview, user: 'U1' });
    await waitUntil(() => rig.engine.received.length === 4, 'the four answers reached the engine');
    await settle();
    const answers = rig.engine.received.map((received) => received.text).filter((text) => !text.startsWith('settle-'));
    expect(answers.sort()).toEqual(['ada answers', 'first answer', 'quiz answer', 'second answer']);
    expect(rig.engine.received.find((received) => received.text === 'first answer')?.conversation).toEqual({ channelId: 'C1', threadId: thread, isDirect: false });
    const checks = rig.fake.callsTo('conversations.replies').map((call) => `${String(call.params.ts)} ${String(call.params.include_all_metadata)}`);
    expect(checks.sort()).toEqual([`${askAnswer} true`, `${thread} true`, `${quizPost} true`, `${adasInterview} true`].sort());
  });

  it('WHEN a mention arrives as both app_mention and message THEN it is handled once, in a thread under the mention', async () => {
    rig.engine.script = () => [reply({ kind: 'answer', sections: [{ body: 'Calibration means...' }] })];
    const ts = '1710000099.000001';
    await event(eventEnvelope(appMentionEvent({ text: '<@UBOT> ask what is calibration', ts })));
    await message({ text: '<@UBOT> ask what is calibration', ts });
    const [post] = await rig.fake.waitForCalls('chat.postMessage');
    await settle();
    const asked = rig.engine.received.filter((received) => received.text === 'ask what is calibration');
    expect(asked).toHaveLength(1);
    expect(asked[0]?.conversation).toEqual({ channelId: 'C1', isDirect: false });
    expect(post?.params.thread_ts).toBe(ts);
  });

  it('WHEN Slack answers 429 THEN the post is retried after Retry-After while another channel is served meanwhile', async () => {
    rig.engine.script = (received) => [reply({ kind: 'info', sections: [{ body: `hello ${received.conversation.channelId}` }] })];
    rig.fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } }, 1, (call) => call.params.channel === 'CBUSY');
    await command('help', { channel: 'CBUSY' });
    await rig.fake.waitForCalls('chat.postMessage', 1, (call) => call.params.channel === 'CBUSY');
    await command('help', { channel: 'CQUIET' });
    const [quiet] = await rig.fake.waitForCalls('chat.postMessage', 1, (call) => call.params.channel === 'CQUIET');
    const [limited, retried] = await rig.fake.waitForCalls('chat.postMessage', 2, (call) => call.params.channel === 'CBUSY', 4000);
    expect(retried && limited && retried.at - limited.at).toBeGreaterThanOrEqual(950);
    expect(quiet && retried && quiet.at < retried.at).toBe(true);
    expect(rig.logger.at('warn').some((entry) => entry.msg?.includes('rate limit'))).toBe(true);
    expect(rig.logger.at('error')).toEqual([]);
  });

  it('WHEN posting keeps failing THEN the failure is logged with a reference and the user is told their answer is saved', async () => {
    rig.engine.script = () => [reply({ kind: 'feedback', score: 40, sections: [{ body: 'Graded.' }] })];
    rig.fake.failNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } }, 5);
    await message({ text: 'my graded answer', threadTs: thread });
    const [notice] = await rig.fake.waitForCalls('chat.postEphemeral');
    const failure = rig.logger.at('error').find((entry) => entry.msg?.includes('could not post'));
    expect(failure?.obj.reference).toMatch(/^[0-9a-f]{8}$/);
    expect(failure?.obj.unsent).toEqual(['feedback']);
    expect(String(notice?.params.text)).toContain(String(failure?.obj.reference));
    expect(notice?.params).toMatchObject({ channel: 'C1', user: 'U1', thread_ts: thread });
    expect(rig.engine.received.map((received) => received.text)).toContain('my graded answer');
  });

  it('WHEN the bot is not in a public channel THEN it joins and posts; in a channel it cannot join THEN the reply comes ephemerally', async () => {
    rig.engine.script = () => [reply({ kind: 'answer', sections: [{ body: 'An answer.' }] })];
    rig.fake.failNext('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } }, 1, (call) => call.params.channel === 'CPUBLIC');
    await command('ask what is auc', { channel: 'CPUBLIC' });
    await rig.fake.waitForCalls('chat.postMessage', 2, (call) => call.params.channel === 'CPUBLIC');
    expect(rig.fake.callsTo('conversations.join')[0]?.params.channel).toBe('CPUBLIC');

    rig.fake.failNext('chat.postMessage', { body: { ok: false, error: 'channel_not_found' } }, 1, (call) => call.params.channel === 'GPRIVATE');
    await command('ask what is auc', { channel: 'GPRIVATE' });
    const ephemeral = await rig.fake.waitForCalls('response_url', 2);
    expect(ephemeral.every((call) => call.params.response_type === 'ephemeral')).toBe(true);
    expect(visibleText(ephemeral[1]?.params ?? {})).toContain('/invite @mle-coach');
  });

  it('WHEN `/coach progress` is used THEN the answer is ephemeral (response_url) with a text stand-in for the chart', async () => {
    rig.engine.script = () => [
      reply({ kind: 'progress', title: 'Your progress', sections: [{ body: '- metrics: **62%**' }], images: [{ path: '/data/charts/u1.png', alt: 'Mastery per area' }] }),
    ];
    const response = await command('progress');
    expect(response.status).toBe(200);
    const [ephemeral] = await rig.fake.waitForCalls('response_url');
    expect(ephemeral?.params).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(visibleText(ephemeral?.params ?? {})).toContain('Mastery per area');
    expect(visibleText(ephemeral?.params ?? {})).toContain('• metrics: *62%*');
    expect(posts()).toHaveLength(0);
    expect(rig.engine.received[0]).toMatchObject({ platform: 'slack', userId: 'slack:T1:U1', text: 'progress', conversation: { channelId: 'C1', isDirect: false } });
  });

  it('WHEN a workspace admin writes THEN isAdmin is set from users.info, which is asked once per user', async () => {
    await message({ text: 'one', channel: 'DA', channelType: 'im', user: 'UADMIN' });
    await message({ text: 'two', channel: 'DA', channelType: 'im', user: 'UADMIN' });
    await message({ text: 'three', channel: 'DB', channelType: 'im', user: 'U2' });
    await waitUntil(() => rig.engine.received.length === 3, 'three messages reached the engine');
    expect(rig.engine.received.map((received) => [received.text, received.isAdmin, received.userName])).toEqual([
      ['one', true, 'user-UADMIN'],
      ['two', true, 'user-UADMIN'],
      ['three', false, 'user-U2'],
    ]);
    expect(rig.fake.callsTo('users.info').map((call) => call.params.user)).toEqual(['UADMIN', 'U2']);
  });

  it('WHEN a user answers with 40 KB of text containing <!channel> THEN the engine gets it all and nothing posted pings anyone or breaks Block Kit limits', async () => {
    const feedbackFor = (text: string) =>
      reply({ kind: 'feedback', title: 'Feedback', score: 55, sections: [{ heading: 'Your answer', body: `> ${text}` }, { heading: 'Model answer', body: 'Short.', collapsed: true }], buttons: [{ action: 'skip', label: 'Next' }] });
    rig.engine.script = (received) => [feedbackFor(received.text)];
    const raw = 'I think <!channel> and <!here> and <@U2> should read &lt;!everyone&gt; this. '.repeat(540);
    expect(raw.length).toBeGreaterThan(40_000);
    await message({ text: raw, threadTs: thread });
    await waitUntil(() => rig.engine.received.length === 1, 'the answer reached the engine');
    const received = rig.engine.received[0]?.text ?? '';
    expect(received).toContain('I think @channel and @here and @U2 should read <!everyone> this.');
    const expectedMessages = renderReply(feedbackFor(received), { offerAnswerForm: true }).length;
    expect(expectedMessages).toBeGreaterThan(1);
    const feedbackPosts = await rig.fake.waitForCalls('chat.postMessage', expectedMessages);
    for (const post of feedbackPosts) {
      const text = visibleText(post.params);
      expect(text).not.toMatch(/<[!@#]/);
      expect(post.params.thread_ts).toBe(thread);
      const blocks = blocksOf(post);
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const block of blocks) if (block.type === 'section') expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    }
    expect(visibleText(feedbackPosts[0]?.params ?? {})).toContain('&lt;!everyone&gt;');
  });

  it('WHEN the Home tab is opened THEN it shows the progress and start buttons; a button starts an interview in the DM', async () => {
    rig.engine.script = (received) =>
      received.text === 'progress'
        ? [reply({ kind: 'progress', title: 'Your progress', sections: [{ body: 'No answers yet.' }] })]
        : [reply({ kind: 'question', title: 'Question 1', sections: [{ body: 'What is AUC?' }], buttons: [{ action: 'hint', label: 'Hint' }] })];
    await event(eventEnvelope(appHomeOpenedEvent('U1')));
    const [publish] = await rig.fake.waitForCalls('views.publish');
    expect(publish?.params.user_id).toBe('U1');
    const view = publish?.params.view as types.HomeView;
    expect(JSON.stringify(view.blocks)).toContain('No answers yet.');
    expect(JSON.stringify(view.blocks)).toContain('start-interview:metrics');
    expect(rig.engine.received[0]).toMatchObject({ text: 'progress', conversation: { channelId: 'D1', isDirect: true } });

    await interaction(blockActionsPayload({ actionId: 'start-interview:metrics', value: 'metrics', home: true }));
    const [dm] = await rig.fake.waitForCalls('chat.postMessage');
    expect(rig.fake.callsTo('conversations.open')[0]?.params.users).toBe('U1');
    expect(rig.engine.received[1]).toMatchObject({ text: '', action: { id: 'start-interview', value: 'metrics' }, conversation: { channelId: 'D1', isDirect: true } });
    expect(dm?.params.channel).toBe('D1');
    expect(dm?.params.thread_ts).toBeUndefined();
  });

  it('WHEN the daily quiz posts through the registered poster THEN it opens a thread and later posts go inside', async () => {
    const poster = rig.posters[0];
    expect(poster?.platform).toBe('slack');
    const ref = await poster?.post('CQUIZ', [reply({ kind: 'quiz', title: "Today's quiz", sections: [{ body: 'Define recall.' }], buttons: [{ action: 'quiz-answer', label: 'Answer' }], openThread: { name: 'quiz' } })]);
    const [parent] = posts('CQUIZ');
    expect(ref).toEqual({ channelId: 'CQUIZ', threadId: parent?.params.thread_ts ?? ref?.messageId, messageId: ref?.messageId });
    expect(parent?.params.thread_ts).toBeUndefined();
    if (!ref) throw new Error('no ref');
    await poster?.postInThread(ref, [reply({ kind: 'info', sections: [{ body: 'Answers close in 24 h.' }] })]);
    expect(posts('CQUIZ')[1]?.params.thread_ts).toBe(ref.threadId);
    await poster?.react?.(ref, '1710000000.000777', ':white_check_mark:');
    expect(rig.fake.callsTo('reactions.add')[0]?.params).toMatchObject({ channel: 'CQUIZ', timestamp: '1710000000.000777', name: 'white_check_mark' });
  });
});

describe('GIVEN a mock interview started with /coach in a channel', () => {
  /** A small interview engine: intro (opens the thread), 2 questions, feedback, summary. */
  function interviewScript(received: IncomingMessage): Reply[] {
    const question = (index: number) =>
      reply({
        kind: 'question',
        title: `Question ${index} of 2`,
        sections: [{ body: index === 1 ? 'What is precision?' : 'What is recall?' }],
        buttons: [
          { action: 'hint', label: 'Hint' },
          { action: 'skip', label: 'Skip' },
          { action: 'end', label: 'End', style: 'danger' },
        ],
        sessionRef: 's1',
      });
    const feedback = (text: string) =>
      reply({
        kind: 'feedback',
        score: 70,
        sections: [
          { heading: 'Your answer', body: `> ${text}` },
          { heading: 'Covered', body: '- true positives' },
          { heading: 'Missed', body: '- false positives' },
          { heading: 'Model answer', body: 'Precision = TP / (TP + FP).', collapsed: true },
        ],
        sessionRef: 's1',
      });
    if (received.text === 'interview metrics') {
      return [reply({ kind: 'info', title: 'Mock interview: metrics', sections: [{ body: '2 questions. Answer in this thread.' }], openThread: { name: 'metrics interview' }, sessionRef: 's1' }), question(1)];
    }
    if (received.action?.id === 'hint') return [reply({ kind: 'info', sections: [{ body: 'Think about false positives.' }], sessionRef: 's1' })];
    if (received.action?.id === 'end') return [reply({ kind: 'summary', title: 'Interview summary', sections: [{ body: 'Average 70/100.' }], sessionRef: 's1' })];
    if (received.action?.id === 'submit-answer') return [feedback(answerText(received)), reply({ kind: 'summary', title: 'Interview summary', sections: [{ body: 'Done.' }] })];
    return [feedback(answerText(received)), question(2)];
  }

  it('THEN the interview runs in a thread: answers by reply, hint button, answer form, summary', async () => {
    rig.engine.script = interviewScript;
    await command('interview track:metrics');
    const [parent, firstQuestion] = await rig.fake.waitForCalls('chat.postMessage', 2);
    const parentTs = FakeSlack.tsOf(parent);
    expect(parent?.params.channel).toBe('C1');
    expect(parent?.params.thread_ts).toBeUndefined();
    expect(blocksOf(parent)[0]?.block_id).toBe('mle-coach-thread:U1');
    expect(parent?.params.metadata).toEqual({ event_type: 'mle_coach_thread', event_payload: { session: 's1', owner: 'U1' } });
    expect(firstQuestion?.params.thread_ts).toBe(parentTs);
    expect(buttonIds(firstQuestion)).toEqual(['hint', 'skip', 'end', 'answer-form']);
    await waitUntil(() => rig.engine.attached.length === 1, 'the engine was told about the thread');
    expect(rig.engine.attached[0]).toEqual({ sessionRef: 's1', conversation: { channelId: 'C1', threadId: parentTs, isDirect: false } });

    // Someone else chatting in the thread is not an answer; the interviewee's reply is.
    await message({ text: 'good luck!', threadTs: parentTs, user: 'U2' });
    await message({ text: 'It is TP over TP+FP', threadTs: parentTs });
    const [, , feedback, secondQuestion] = await rig.fake.waitForCalls('chat.postMessage', 4);
    expect(rig.engine.received.map((received) => received.userId)).toEqual(['slack:T1:U1', 'slack:T1:U1']);
    expect(rig.engine.received[1]).toMatchObject({ text: 'It is TP over TP+FP', conversation: { channelId: 'C1', threadId: parentTs, isDirect: false } });
    expect(feedback?.params.thread_ts).toBe(parentTs);
    const feedbackTypes = blocksOf(feedback).map((block) => block.type);
    expect(feedbackTypes).toEqual(['context', 'section', 'section', 'section', 'container']);
    expect(visibleText(feedback?.params ?? {})).toContain('Score: 70/100');
    expect(secondQuestion?.params.thread_ts).toBe(parentTs);

    // Hint button on the second question.
    const secondTs = FakeSlack.tsOf(secondQuestion);
    await interaction(blockActionsPayload({ actionId: 'hint', messageTs: secondTs, threadTs: parentTs, responseUrl: rig.fake.responseUrl('hint') }));
    const [, , , , hint] = await rig.fake.waitForCalls('chat.postMessage', 5);
    expect(rig.engine.received[2]).toMatchObject({ text: '', action: { id: 'hint' }, conversation: { channelId: 'C1', threadId: parentTs } });
    expect(hint?.params.thread_ts).toBe(parentTs);

    // "Answer in a form" opens a modal; its submission is the answer, in the same thread.
    await interaction(
      blockActionsPayload({ actionId: 'answer-form', messageTs: secondTs, threadTs: parentTs, messageBlocks: blocksOf(secondQuestion), responseUrl: rig.fake.responseUrl('form') }),
    );
    const [open] = await rig.fake.waitForCalls('views.open');
    expect(open?.params.trigger_id).toBe('trigger-2');
    const modal = open?.params.view as types.ModalView;
    expect(JSON.stringify(modal.blocks)).toContain('What is recall?');
    expect(rig.engine.received).toHaveLength(3);
    const submitted = await interaction(viewSubmissionPayload({ callback_id: modal.callback_id ?? '', private_metadata: modal.private_metadata ?? '' }, 'Recall = TP / (TP + FN).\nIt measures coverage.'));
    expect(submitted.status).toBe(200);
    const [, , , , , formFeedback, summary] = await rig.fake.waitForCalls('chat.postMessage', 7);
    expect(rig.engine.received[3]).toMatchObject({ text: '', action: { id: 'submit-answer', value: 'Recall = TP / (TP + FN).\nIt measures coverage.' }, conversation: { channelId: 'C1', threadId: parentTs, isDirect: false } });
    expect(formFeedback?.params.thread_ts).toBe(parentTs);
    expect(summary?.params.thread_ts).toBe(parentTs);
    expect(visibleText(summary?.params ?? {})).toContain('Interview summary');
    expect(rig.logger.at('error')).toEqual([]);
  });
});

describe('GIVEN Slack settings', () => {
  it('WHEN the app-level token is refused THEN startSlack fails with a clear Socket Mode error', async () => {
    const fake = await FakeSlack.start();
    try {
      const config = { ...slackConfig(fake, 'socket'), SLACK_APP_TOKEN: 'xapp-not-the-token' };
      await expect(startSlack(testContext(config, new ScriptedEngine(), new RecordingLogger()), FAST)).rejects.toMatchObject({
        id: 'slack.socket',
        message: expect.stringContaining('invalid_auth'),
      });
    } finally {
      await fake.close();
    }
  });

  it('WHEN the bot token is rejected THEN startSlack fails with a clear error and no token in it', async () => {
    const fake = await FakeSlack.start();
    try {
      const config = { ...slackConfig(fake, 'http'), SLACK_BOT_TOKEN: 'xoxb-wrong-token-123456' };
      await expect(startSlack(testContext(config, new ScriptedEngine(), new RecordingLogger()), FAST)).rejects.toMatchObject({
        id: 'slack.auth',
        message: expect.not.stringContaining('xoxb-wrong-token-123456'),
      });
    } finally {
      await fake.close();
    }
  });
});
