import { z } from 'zod';

/**
 * The parts of Slack payloads the adapter reads, parsed with zod (unknown fields are dropped).
 * Same shapes over HTTP and Socket Mode: Bolt hands listeners the same `body`.
 */

const optionalString = z.string().min(1).optional();

export const slashCommandSchema = z.object({
  command: z.string(),
  text: z.string().default(''),
  user_id: z.string().min(1),
  user_name: optionalString,
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  channel_name: optionalString,
  response_url: optionalString,
  trigger_id: optionalString,
});
export type SlashCommand = z.infer<typeof slashCommandSchema>;

/** Outer Events API envelope (HTTP body, or Socket Mode `payload`). */
export const eventEnvelopeSchema = z.object({
  team_id: optionalString,
  event_id: optionalString,
  event: z.unknown(),
});

export const messageEventSchema = z.object({
  type: z.literal('message'),
  subtype: optionalString,
  channel: z.string().min(1),
  channel_type: optionalString,
  user: optionalString,
  bot_id: optionalString,
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: optionalString,
  parent_user_id: optionalString,
  hidden: z.boolean().optional(),
});
export type MessageEvent = z.infer<typeof messageEventSchema>;

export const appMentionEventSchema = z.object({
  type: z.literal('app_mention'),
  channel: z.string().min(1),
  user: optionalString,
  bot_id: optionalString,
  text: z.string().default(''),
  ts: z.string().min(1),
  thread_ts: optionalString,
});
export type AppMentionEvent = z.infer<typeof appMentionEventSchema>;

export const appHomeOpenedEventSchema = z.object({
  type: z.literal('app_home_opened'),
  user: z.string().min(1),
  channel: optionalString,
  tab: optionalString,
});

const teamSchema = z.object({ id: z.string().min(1) }).nullable().optional();
const interactionUserSchema = z.object({
  id: z.string().min(1),
  team_id: optionalString,
  name: optionalString,
  username: optionalString,
});

export const blockActionsSchema = z.object({
  type: z.literal('block_actions'),
  team: teamSchema,
  user: interactionUserSchema,
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z
    .object({
      type: z.string(),
      message_ts: optionalString,
      thread_ts: optionalString,
      channel_id: optionalString,
      is_ephemeral: z.boolean().optional(),
    })
    .optional(),
  message: z
    .object({
      ts: z.string().min(1),
      thread_ts: optionalString,
      blocks: z.array(z.unknown()).optional(),
    })
    .optional(),
  view: z.object({ type: z.string(), id: optionalString }).optional(),
  trigger_id: optionalString,
  response_url: optionalString,
  actions: z.array(z.object({ action_id: z.string().min(1), value: z.string().optional() })).min(1),
});
export type BlockActions = z.infer<typeof blockActionsSchema>;

export const viewSubmissionSchema = z.object({
  type: z.literal('view_submission'),
  team: teamSchema,
  user: interactionUserSchema,
  view: z.object({
    callback_id: z.string(),
    private_metadata: z.string().default(''),
    state: z.object({
      values: z.record(z.string(), z.record(z.string(), z.object({ value: z.string().nullable().optional() }))),
    }),
  }),
});
export type ViewSubmission = z.infer<typeof viewSubmissionSchema>;

const textObjectSchema = z.object({ type: z.string(), text: z.string() });
const sectionBlockSchema = z.object({ type: z.literal('section'), text: textObjectSchema });

/** First section text of one of our own messages (the question), for the answer modal. */
export function firstSectionText(blocks: readonly unknown[] | undefined): string | undefined {
  for (const block of blocks ?? []) {
    const parsed = sectionBlockSchema.safeParse(block);
    if (parsed.success && parsed.data.text.text.trim()) return parsed.data.text.text;
  }
  return undefined;
}

export const usersInfoSchema = z.object({
  user: z.object({
    name: optionalString,
    real_name: optionalString,
    is_admin: z.boolean().optional(),
    is_owner: z.boolean().optional(),
    is_primary_owner: z.boolean().optional(),
    profile: z.object({ display_name: z.string().optional(), real_name: z.string().optional() }).optional(),
  }),
});

export const platformErrorSchema = z.object({
  code: z.literal('slack_webapi_platform_error'),
  data: z.object({ error: z.string() }),
});

/** The `error` string of a Web API platform error (`not_in_channel`, `invalid_blocks`, ...), if it is one. */
export function platformErrorCode(error: unknown): string | undefined {
  const parsed = platformErrorSchema.safeParse(error);
  return parsed.success ? parsed.data.data.error : undefined;
}
