import { z } from 'zod';
import { TONES, toneFor, type Tone } from '../gradingPolicy.js';

export const platformSchema = z.enum(['terminal', 'discord', 'slack', 'test']);
export type Platform = z.infer<typeof platformSchema>;

/** Where a message was said. The engine uses it only as an opaque key and to decide on threads. */
export const conversationSchema = z.object({
  /** Channel, DM or terminal id as the platform knows it. */
  channelId: z.string().min(1),
  /** Thread the message belongs to, when the platform has threads. */
  threadId: z.string().min(1).optional(),
  /** One-to-one conversation with the bot (DM or terminal). */
  isDirect: z.boolean(),
});
export type Conversation = z.infer<typeof conversationSchema>;

/** Button ids the engine offers; adapters map them to their own components and back. */
export const actionIdSchema = z.enum(['hint', 'skip', 'end', 'repeat', 'answer-form', 'submit-answer', 'start-interview', 'quiz-answer', 'progress']);
export type ActionId = z.infer<typeof actionIdSchema>;

export const incomingMessageSchema = z.object({
  platform: platformSchema,
  /** Qualified id: `discord:<id>`, `slack:<team>:<id>`, `terminal:<os user>`. */
  userId: z.string().min(1),
  userName: z.string().optional(),
  conversation: conversationSchema,
  /** What the user typed (may be empty for button presses). */
  text: z.string(),
  /** A button or form submission instead of typed text. */
  action: z.object({ id: actionIdSchema, value: z.string().optional() }).optional(),
  /** The text came from a slash command: a command word in it is a command even mid-interview. */
  fromSlashCommand: z.boolean().default(false),
  /** Server/workspace admin as reported by the platform (quiz schedules). */
  isAdmin: z.boolean().default(false),
  /** Platform message id, used to ignore duplicates and edits. */
  messageId: z.string().optional(),
  receivedAt: z.date().optional(),
});
export type IncomingMessage = z.input<typeof incomingMessageSchema>;

export const buttonSchema = z.object({
  action: actionIdSchema,
  label: z.string(),
  value: z.string().optional(),
  style: z.enum(['primary', 'secondary', 'danger']).default('secondary'),
});
export type Button = z.input<typeof buttonSchema>;

/**
 * Neutral rich text: paragraphs of plain text with a small markup every adapter can render:
 * `**bold**`, `_italic_`, `` `code` ``, lines starting with `- ` (bullets) or `> ` (quotes).
 * Text that came from a user is kept in `quote` spans so adapters can neutralise mentions.
 */
export const sectionSchema = z.object({
  heading: z.string().optional(),
  body: z.string(),
  /** Hidden until asked for: Slack shows it collapsed, Discord in a spoiler. */
  collapsed: z.boolean().default(false),
});
export type Section = z.input<typeof sectionSchema>;

export const replyKindSchema = z.enum(['question', 'feedback', 'follow-up', 'summary', 'answer', 'progress', 'info', 'error', 'quiz']);
export type ReplyKind = z.infer<typeof replyKindSchema>;

export const replySchema = z.object({
  kind: replyKindSchema,
  /** Shown only to the user who asked (Slack ephemeral, Discord ephemeral, DM). */
  private: z.boolean().default(false),
  title: z.string().optional(),
  sections: z.array(sectionSchema).default([]),
  buttons: z.array(buttonSchema).default([]),
  images: z.array(z.object({ path: z.string(), alt: z.string() })).default([]),
  /** The adapter should move the conversation into a thread (interviews in channels). */
  openThread: z.object({ name: z.string() }).optional(),
  /** Identifies the interview or quiz this reply belongs to (for `Engine.attachThread`). */
  sessionRef: z.string().optional(),
  /** Score of a graded answer (0-100), for adapters that show it specially (colour, reaction). */
  score: z.number().min(0).max(100).optional(),
  /** How the reply should look (colour, emoji); set from the score by the grading policy when absent. */
  tone: z.enum(TONES).optional(),
});
export type Reply = z.output<typeof replySchema> & { tone: Tone };
export type ReplyInput = z.input<typeof replySchema>;

export function reply(input: ReplyInput): Reply {
  const parsed = replySchema.parse(input);
  return { ...parsed, tone: parsed.tone ?? (parsed.kind === 'error' ? 'poor' : toneFor(parsed.score)) };
}

/** Plain text of a reply, for the terminal, logs and tests. */
export function replyToPlainText(value: Reply): string {
  const parts: string[] = [];
  if (value.title) parts.push(value.title);
  for (const section of value.sections) {
    if (section.heading) parts.push(section.heading);
    parts.push(section.body);
  }
  if (value.images.length) parts.push(...value.images.map((image) => `[image: ${image.path}]`));
  if (value.buttons.length) parts.push(`[${value.buttons.map((button) => button.label).join('] [')}]`);
  return parts.join('\n');
}
