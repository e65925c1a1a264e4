import type { App } from '@slack/bolt';
import { actionIdSchema, type Conversation } from '../../../core/model/message.js';
import { actionIdOf } from '../blocks.js';
import type { ReplyTarget } from '../delivery.js';
import { describeError, newReferenceId } from '../errors.js';
import { blockActionsSchema, firstSectionText, type BlockActions } from '../payloads.js';
import type { SlackRuntime } from '../runtime.js';
import { answerModal } from '../views.js';

/** Buttons that open the answer form instead of going to the engine. */
const FORM_ACTIONS = new Set(['answer-form', 'quiz-answer']);

/**
 * The conversation a button belongs to. On a message: its channel, and its thread (a button on a thread's
 * parent, such as a daily quiz post, belongs to that thread). On the Home tab: the user's DM with the bot.
 */
async function whereClicked(payload: BlockActions, runtime: SlackRuntime): Promise<Conversation> {
  const channelId = payload.channel?.id ?? payload.container?.channel_id;
  if (payload.view?.type === 'home' || !channelId) {
    return { channelId: await runtime.directChannel(payload.user.id), isDirect: true };
  }
  const isDirect = channelId.startsWith('D');
  // An ephemeral message cannot hold a thread: its buttons belong to the thread it was shown in, if any.
  const ownThread = isDirect || payload.container?.is_ephemeral ? undefined : (payload.message?.ts ?? payload.container?.message_ts);
  const threadTs = payload.message?.thread_ts ?? payload.container?.thread_ts ?? ownThread;
  return { channelId, isDirect, ...(threadTs ? { threadId: threadTs } : {}) };
}

export function registerActions(app: App, runtime: SlackRuntime): void {
  app.action(/.*/, async ({ ack, body, respond }) => {
    await ack();
    const parsed = blockActionsSchema.safeParse(body);
    if (!parsed.success) return;
    const payload = parsed.data;
    const [clicked] = payload.actions;
    const actionId = actionIdSchema.safeParse(actionIdOf(clicked?.action_id ?? ''));
    if (!clicked || !actionId.success) {
      runtime.logger.debug({ action: clicked?.action_id }, 'slack action not for the engine; ignored');
      return;
    }
    const teamId = payload.team?.id ?? payload.user.team_id ?? runtime.deps.teamId;

    if (FORM_ACTIONS.has(actionId.data)) {
      // trigger_id expires 3 s after the click: open the modal before anything else.
      const conversation = await whereClicked(payload, runtime);
      if (!payload.trigger_id) return;
      try {
        await runtime.deps.client.views.open({ trigger_id: payload.trigger_id, view: answerModal(conversation, firstSectionText(payload.message?.blocks)) });
      } catch (error) {
        const reference = newReferenceId();
        runtime.logger.error({ reference, err: describeError(error) }, 'slack views.open failed');
        if (!payload.response_url) return;
        await respond({ response_type: 'ephemeral', replace_original: false, text: `I couldn't open the form (reference \`${reference}\`). Reply in the thread instead.` }).catch(
          (notifyError: unknown) => runtime.logger.warn({ reference, err: describeError(notifyError) }, 'slack could not tell the user either'),
        );
      }
      return;
    }

    runtime.track('action', async () => {
      const conversation = await whereClicked(payload, runtime);
      const target: ReplyTarget = {
        channelId: conversation.channelId,
        isDirect: conversation.isDirect,
        slackUserId: payload.user.id,
        ...(conversation.threadId ? { threadTs: conversation.threadId } : {}),
        ...(payload.response_url ? { respond } : {}),
      };
      await runtime.converse(
        {
          teamId,
          slackUserId: payload.user.id,
          ...(payload.user.name ? { userName: payload.user.name } : {}),
          conversation,
          text: '',
          action: { id: actionId.data, ...(clicked.value !== undefined ? { value: clicked.value } : {}) },
        },
        target,
      );
    });
  });
}
