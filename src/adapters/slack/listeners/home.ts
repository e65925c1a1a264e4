import type { App } from '@slack/bolt';
import { appHomeOpenedEventSchema, eventEnvelopeSchema } from '../payloads.js';
import type { SlackRuntime } from '../runtime.js';
import { homeView } from '../views.js';

/** The Home tab: the user's progress (the engine's `progress`, as that user) and start-interview buttons. */
export function registerHome(app: App, runtime: SlackRuntime): void {
  app.event('app_home_opened', async ({ event, body }) => {
    const parsed = appHomeOpenedEventSchema.safeParse(event);
    if (!parsed.success || (parsed.data.tab && parsed.data.tab !== 'home')) return;
    const { user, channel } = parsed.data;
    const teamId = eventEnvelopeSchema.safeParse(body).data?.team_id ?? runtime.deps.teamId;
    runtime.track('home', async () => {
      const channelId = channel ?? (await runtime.directChannel(user));
      const replies = await runtime.ask({ teamId, slackUserId: user, conversation: { channelId, isDirect: true }, text: 'progress' });
      const view = homeView(replies, runtime.deps.tracks);
      await runtime.deps.queue.run(`home:${user}`, () => runtime.deps.client.views.publish({ user_id: user, view }));
    });
  });
}
