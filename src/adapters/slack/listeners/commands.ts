import type { App } from '@slack/bolt';
import { slashCommandToText } from '../commandText.js';
import { slashCommandSchema } from '../payloads.js';
import type { SlackRuntime } from '../runtime.js';
import { decodeSlackText } from '../text.js';

/**
 * `/coach <text>` (any command name routed to this app, so a renamed command such as `/coach-dev` works).
 * Ack at once with an empty body, then call the engine; replies are posted with chat.postMessage (so an
 * interview can open a thread) and private ones through the command's response_url.
 */
export function registerCommands(app: App, runtime: SlackRuntime): void {
  app.command(/.*/, async ({ ack, body, respond }) => {
    await ack();
    const parsed = slashCommandSchema.safeParse(body);
    if (!parsed.success) {
      runtime.logger.warn({ issues: parsed.error.issues.length }, 'unexpected slash command payload; ignored');
      return;
    }
    const command = parsed.data;
    const isDirect = command.channel_id.startsWith('D');
    runtime.track('command', () =>
      runtime.converse(
        {
          teamId: command.team_id,
          slackUserId: command.user_id,
          ...(command.user_name ? { userName: command.user_name } : {}),
          conversation: { channelId: command.channel_id, isDirect },
          text: slashCommandToText(decodeSlackText(command.text)),
          fromSlashCommand: true,
        },
        { channelId: command.channel_id, isDirect, slackUserId: command.user_id, respond },
      ),
    );
  });
}
