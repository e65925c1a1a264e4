import type { App } from '@slack/bolt';
import { viewSubmissionSchema } from '../payloads.js';
import type { SlackRuntime } from '../runtime.js';
import { ANSWER_BLOCK_ID, ANSWER_INPUT_ID, ANSWER_MODAL_CALLBACK, decodeModalMetadata } from '../views.js';

/** The answer form's submission: close the modal, then send the text as `submit-answer` in its conversation. */
export function registerAnswerForm(app: App, runtime: SlackRuntime): void {
  app.view(ANSWER_MODAL_CALLBACK, async ({ ack, body }) => {
    const parsed = viewSubmissionSchema.safeParse(body);
    if (!parsed.success) {
      await ack();
      return;
    }
    const submission = parsed.data;
    const text = submission.view.state.values[ANSWER_BLOCK_ID]?.[ANSWER_INPUT_ID]?.value ?? '';
    if (!text.trim()) {
      await ack({ response_action: 'errors', errors: { [ANSWER_BLOCK_ID]: 'Write an answer first.' } });
      return;
    }
    await ack();
    const conversation = decodeModalMetadata(submission.view.private_metadata);
    if (!conversation) {
      runtime.logger.warn({}, 'slack answer form without a conversation; ignored');
      return;
    }
    const slackUserId = submission.user.id;
    runtime.track('answer-form', () =>
      runtime.converse(
        {
          teamId: submission.team?.id ?? submission.user.team_id ?? runtime.deps.teamId,
          slackUserId,
          conversation,
          text: '',
          action: { id: 'submit-answer', value: text },
        },
        { channelId: conversation.channelId, isDirect: conversation.isDirect, slackUserId, ...(conversation.threadId ? { threadTs: conversation.threadId } : {}) },
      ),
    );
  });
}
