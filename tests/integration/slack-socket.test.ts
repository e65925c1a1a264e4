import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reply } from '../../src/core/model/message.js';
import { gate, startRig, waitUntil, type SlackRig } from '../fakes/slack/harness.js';
import { blockActionsPayload, eventEnvelope, messageEvent, slashCommandPayload } from '../fakes/slack/requests.js';

let rig: SlackRig;

beforeEach(async () => {
  rig = await startRig('socket');
});

afterEach(async () => {
  await rig.close();
});

describe('GIVEN the Slack app in Socket Mode', () => {
  it('WHEN it starts THEN it opened the connection with the app-level token and is ready', async () => {
    expect(rig.adapter.mode).toBe('socket');
    expect(rig.adapter.isReady()).toBe(true);
    expect(rig.fake.callsTo('apps.connections.open').map((call) => call.token)).toEqual([rig.fake.appToken]);
    expect(rig.fake.connectedSockets).toBe(1);
  });

  it('WHEN a slash command arrives while grading is slow THEN the envelope is acked at once and the reply follows', async () => {
    const grading = gate();
    rig.engine.script = async () => {
      await grading.promise;
      return [reply({ kind: 'answer', sections: [{ body: 'Calibration is...' }] })];
    };
    const started = performance.now();
    const ack = await rig.fake.sendEnvelope('slash_commands', slashCommandPayload({ text: 'ask what is calibration', responseUrl: rig.fake.responseUrl('s1') }));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(ack.envelope_id).toMatch(/^env-/);
    await waitUntil(() => rig.engine.received.length === 1, 'the engine got the command');
    expect(rig.engine.received[0]).toMatchObject({ text: 'ask what is calibration', userId: 'slack:T1:U1' });
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(0);
    grading.open();
    const [post] = await rig.fake.waitForCalls('chat.postMessage');
    expect(post?.token).toBe(rig.fake.botToken);
  });

  it('WHEN Slack redelivers an event (retry_attempt) THEN it is processed once', async () => {
    const envelope = eventEnvelope(messageEvent({ text: 'socket answer', channel: 'D1', channelType: 'im' }));
    await rig.fake.sendEnvelope('events_api', envelope);
    await rig.fake.sendEnvelope('events_api', envelope, { retryAttempt: 1, retryReason: 'timeout' });
    await rig.fake.sendEnvelope('events_api', eventEnvelope(messageEvent({ text: 'next', channel: 'D1', channelType: 'im' })));
    await waitUntil(() => rig.engine.received.some((received) => received.text === 'next'), 'the following message arrived');
    expect(rig.engine.received.map((received) => received.text)).toEqual(['socket answer', 'next']);
  });

  it('WHEN a button is pressed THEN the interaction is acked and reaches the engine with its thread', async () => {
    await rig.fake.sendEnvelope('interactive', blockActionsPayload({ actionId: 'skip', messageTs: '1700000000.000002', threadTs: '1700000000.000001' }));
    await waitUntil(() => rig.engine.received.length === 1, 'the engine got the button');
    expect(rig.engine.received[0]).toMatchObject({ action: { id: 'skip' }, conversation: { channelId: 'C1', threadId: '1700000000.000001', isDirect: false } });
  });

  it('WHEN Slack asks to reconnect THEN the app reconnects and keeps working', async () => {
    rig.fake.sendDisconnect();
    await waitUntil(() => rig.fake.socketConnections === 2 && rig.fake.connectedSockets === 1 && rig.adapter.isReady(), 'the app reconnected');
    await rig.fake.sendEnvelope('events_api', eventEnvelope(messageEvent({ text: 'after reconnect', channel: 'D1', channelType: 'im' })));
    await waitUntil(() => rig.engine.received.length === 1, 'the message after the reconnect arrived');
    expect(rig.fake.callsTo('apps.connections.open')).toHaveLength(2);
  });

  it('WHEN stopped THEN in-flight work finishes, the socket closes and the adapter is no longer ready', async () => {
    const grading = gate();
    rig.engine.script = async () => {
      await grading.promise;
      return [reply({ kind: 'info', sections: [{ body: 'done' }] })];
    };
    await rig.fake.sendEnvelope('events_api', eventEnvelope(messageEvent({ text: 'slow', channel: 'D1', channelType: 'im' })));
    await waitUntil(() => rig.engine.received.length === 1, 'the engine got the message');
    const stopped = rig.adapter.stop();
    expect(rig.adapter.isReady()).toBe(false);
    grading.open();
    await stopped;
    expect(rig.fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(rig.fake.connectedSockets).toBe(0);
  });
});
