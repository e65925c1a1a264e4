import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { types } from '@slack/bolt';
import { startSlack, type SlackAdapter } from '../../src/adapters/slack/index.js';
import { bootstrap, type App } from '../../src/app/bootstrap.js';
import { FakeSlack, type RecordedCall } from '../fakes/slack/fakeSlack.js';
import { FAST, RecordingLogger, visibleText, waitUntil } from '../fakes/slack/harness.js';
import {
  appHomeOpenedEvent,
  blockActionsPayload,
  eventEnvelope,
  eventRequest,
  interactionRequest,
  messageEvent,
  postSigned,
  SIGNING_SECRET,
  slashCommandRequest,
  viewSubmissionPayload,
} from '../fakes/slack/requests.js';
import { cleanup, tempDir, testConfig } from '../support/app.js';

/**
 * The real engine (bootstrap with a temporary data dir and the offline grader) behind the real Bolt app,
 * driven through the fake Slack: what a user in a workspace would see.
 */
describe('Slack adapter with the real engine', () => {
  let fake: FakeSlack;
  let app: App;
  let adapter: SlackAdapter;
  let dataDir: string;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    fake = await FakeSlack.start();
    dataDir = tempDir('mle-coach-slack-');
    app = await bootstrap(testConfig(dataDir, { SLACK_BOT_TOKEN: fake.botToken, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_API_URL: fake.apiUrl }), { logger });
    adapter = await startSlack(app, FAST);
  });

  afterAll(async () => {
    await adapter?.stop();
    await app?.close();
    await fake?.close();
    if (dataDir) cleanup(dataDir);
  });

  const url = () => `http://127.0.0.1:${adapter.port ?? 0}/slack/events`;
  const posts = () => fake.callsTo('chat.postMessage');

  /** The next bot post (after `seen` posts) whose visible text matches. */
  async function nextPost(pattern: RegExp, seen: number, what: string): Promise<RecordedCall> {
    try {
      await waitUntil(() => posts().slice(seen).some((call) => pattern.test(visibleText(call.params))), what, 45_000);
    } catch (error) {
      const transcript = posts().map((call) => `[${String(call.params.thread_ts ?? 'top')}] ${visibleText(call.params).slice(0, 300)}`);
      throw new Error(`${String(error)}\n--- posts ---\n${transcript.join('\n')}`);
    }
    const found = posts().slice(seen).find((call) => pattern.test(visibleText(call.params)));
    if (!found) throw new Error(`no post for ${what}`);
    return found;
  }

  function buttons(call: RecordedCall): types.Button[] {
    return ((call.params.blocks ?? []) as types.KnownBlock[])
      .filter((block): block is types.ActionsBlock => block.type === 'actions')
      .flatMap((block) => block.elements as types.Button[]);
  }

  /** After feedback, an optional follow-up question may come: it is declined with `next`. */
  async function afterFeedback(thread: string, seen: number, then: RegExp, what: string): Promise<RecordedCall> {
    const next = await nextPost(new RegExp(`Follow-up \\(optional\\)|${then.source}`), seen, what);
    if (!visibleText(next.params).includes('Follow-up (optional)')) return next;
    const before = posts().length;
    await postSigned(url(), eventRequest(eventEnvelope(messageEvent({ text: 'next', threadTs: thread }))));
    return nextPost(then, before, what);
  }

  it('GIVEN /coach interview in a channel WHEN the user answers by reply, asks a hint and answers in the form THEN the interview completes in its thread', async () => {
    const command = await postSigned(url(), slashCommandRequest({ text: 'interview track:metrics questions:2', responseUrl: fake.responseUrl('interview') }));
    expect(command.status).toBe(200);
    expect(command.elapsedMs).toBeLessThan(3000);
    const intro = await nextPost(/Mock interview: metrics/, 0, 'the interview intro');
    expect(intro.params.thread_ts).toBeUndefined();
    const thread = FakeSlack.tsOf(intro);
    const first = await nextPost(/Question 1\/2/, 0, 'question 1');
    expect(first.params.thread_ts).toBe(thread);
    expect(buttons(first).map((button) => button.action_id)).toEqual(['hint', 'skip', 'end', 'answer-form']);

    // Question 1: a reply in the thread, mentioning @channel on purpose.
    let seen = posts().length;
    await postSigned(
      url(),
      eventRequest(
        eventEnvelope(
          messageEvent({
            text: 'Precision is TP / (TP + FP): of everything flagged positive, the share that truly is. <!channel> it matters when false positives are costly, e.g. spam filtering.',
            threadTs: thread,
          }),
        ),
      ),
    );
    const feedback = await nextPost(/Score: \d{1,3}\/100/, seen, 'feedback on question 1');
    expect(feedback.params.thread_ts).toBe(thread);
    expect(((feedback.params.blocks ?? []) as types.KnownBlock[]).some((block) => block.type === 'container')).toBe(true);
    const second = await afterFeedback(thread, seen, /Question 2\/2/, 'question 2');
    expect(second.params.thread_ts).toBe(thread);

    // A hint, by button.
    seen = posts().length;
    const hint = buttons(second).find((button) => button.action_id === 'hint');
    await postSigned(
      url(),
      interactionRequest(blockActionsPayload({ actionId: 'hint', value: hint?.value ?? '', messageTs: FakeSlack.tsOf(second), threadTs: thread, responseUrl: fake.responseUrl('hint') })),
    );
    const hintPost = await nextPost(/Hint 1\/|no hints/i, seen, 'the hint');
    expect(hintPost.params.thread_ts).toBe(thread);

    // The answer form.
    seen = posts().length;
    await postSigned(
      url(),
      interactionRequest(blockActionsPayload({ actionId: 'answer-form', messageTs: FakeSlack.tsOf(second), threadTs: thread, messageBlocks: (second.params.blocks ?? []) as unknown[] })),
    );
    const [open] = await fake.waitForCalls('views.open');
    const modal = open?.params.view as types.ModalView;
    const submitted = await postSigned(
      url(),
      interactionRequest(
        viewSubmissionPayload(
          { callback_id: modal.callback_id ?? '', private_metadata: modal.private_metadata ?? '' },
          'Recall is TP / (TP + FN): the share of real positives we catch. It matters when missing a positive is costly, like fraud or disease screening. There is a trade-off with precision through the threshold.',
        ),
      ),
    );
    expect(submitted.status).toBe(200);
    await nextPost(/Score: \d{1,3}\/100/, seen, 'feedback on question 2');
    const summary = await afterFeedback(thread, seen, /summary|Average|Interview (complete|over)/i, 'the summary');
    expect(summary.params.thread_ts).toBe(thread);

    for (const call of [...posts(), ...fake.callsTo('chat.postEphemeral'), ...fake.callsTo('response_url')]) {
      expect(visibleText(call.params)).not.toMatch(/<[!@#]/);
    }
    expect(logger.at('error')).toEqual([]);
  }, 180_000);

  it('GIVEN graded answers WHEN /coach progress is used and the Home tab opened THEN progress is private and the Home tab shows it', async () => {
    await postSigned(url(), slashCommandRequest({ text: 'progress', responseUrl: fake.responseUrl('progress') }));
    const [ephemeral] = await fake.waitForCalls('response_url', 1, (call) => call.params.responseId === 'progress', 45_000);
    expect(ephemeral?.params.response_type).toBe('ephemeral');
    const text = visibleText(ephemeral?.params ?? {});
    expect(text).toContain('Your progress');
    expect(text).toMatch(/evaluation-metrics/);
    expect(text).toContain(':bar_chart: _Mastery per area and score over time: the chart is not shown in Slack');

    await postSigned(url(), eventRequest(eventEnvelope(appHomeOpenedEvent('U1'))));
    const [publish] = await fake.waitForCalls('views.publish', 1, () => true, 45_000);
    const home = JSON.stringify((publish?.params.view as types.HomeView).blocks);
    expect(home).toContain('Your progress');
    expect(home).toContain('start-interview:metrics');
  }, 120_000);
});
