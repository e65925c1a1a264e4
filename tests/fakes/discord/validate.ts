import { z } from 'zod';

/**
 * Discord's documented limits on what a bot sends, enforced the way Discord does it: a 400 with
 * code 50035 "Invalid Form Body". Written from the API documentation, independently of the
 * adapter's own constants, so a wrong limit in the adapter shows up as a refused request.
 */

const embedSchema = z.looseObject({
  title: z.string().max(256).optional(),
  description: z.string().max(4096).optional(),
  fields: z.array(z.looseObject({ name: z.string().min(1).max(256), value: z.string().min(1).max(1024), inline: z.boolean().optional() })).max(25).optional(),
  footer: z.looseObject({ text: z.string().max(2048) }).optional(),
  author: z.looseObject({ name: z.string().max(256) }).optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  image: z.looseObject({ url: z.string() }).optional(),
});
export type EmbedJson = z.infer<typeof embedSchema>;

const buttonSchema = z.looseObject({
  type: z.literal(2),
  style: z.number().int().min(1).max(6),
  label: z.string().max(80).optional(),
  custom_id: z.string().min(1).max(100).optional(),
});

const actionRowSchema = z.looseObject({ type: z.literal(1), components: z.array(buttonSchema).min(1).max(5) });

export const allowedMentionsSchema = z
  .object({
    parse: z.array(z.enum(['users', 'roles', 'everyone'])).optional(),
    users: z.array(z.string()).max(100).optional(),
    roles: z.array(z.string()).max(100).optional(),
    replied_user: z.boolean().optional(),
  })
  .refine((value) => !(value.parse?.includes('users') && value.users?.length), 'parse:users and users are mutually exclusive')
  .refine((value) => !(value.parse?.includes('roles') && value.roles?.length), 'parse:roles and roles are mutually exclusive');
export type AllowedMentionsJson = z.infer<typeof allowedMentionsSchema>;

export const messageBodySchema = z.looseObject({
  content: z.string().max(2000).optional(),
  embeds: z.array(embedSchema).max(10).optional(),
  components: z.array(actionRowSchema).max(5).optional(),
  allowed_mentions: allowedMentionsSchema.optional(),
  flags: z.number().int().optional(),
  message_reference: z.looseObject({ message_id: z.string(), fail_if_not_exists: z.boolean().optional() }).optional(),
  attachments: z.array(z.looseObject({ id: z.union([z.string(), z.number()]) })).optional(),
});
export type MessageBody = z.infer<typeof messageBodySchema>;

function embedChars(embed: EmbedJson): number {
  const fields = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + fields + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
}

export type Checked<T> = { ok: true; value: T } | { ok: false; status: number; code: number; message: string; problems: string[] };

function refuse(code: number, message: string, problems: string[]): Checked<never> {
  return { ok: false, status: 400, code, message, problems };
}

/** A message create/edit body; `fileCount` counts multipart files (they make an otherwise empty message valid). */
export function checkMessageBody(body: unknown, fileCount: number, isEdit = false): Checked<MessageBody> {
  const parsed = messageBodySchema.safeParse(body ?? {});
  if (!parsed.success) return refuse(50035, 'Invalid Form Body', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const value = parsed.data;
  const total = (value.embeds ?? []).reduce((sum, embed) => sum + embedChars(embed), 0);
  if (total > 6000) return refuse(50035, 'Invalid Form Body', [`embeds: total size ${total} exceeds 6000`]);
  const empty = !value.content && !(value.embeds?.length) && fileCount === 0 && !(value.attachments?.length);
  if (empty && !isEdit) return refuse(50006, 'Cannot send an empty message', ['empty message']);
  return { ok: true, value };
}

const textInputSchema = z.looseObject({
  type: z.literal(4),
  custom_id: z.string().min(1).max(100),
  style: z.number().int().min(1).max(2),
  max_length: z.number().int().min(1).max(4000).optional(),
  min_length: z.number().int().min(0).max(4000).optional(),
});

export const modalSchema = z.looseObject({
  custom_id: z.string().min(1).max(100),
  title: z.string().min(1).max(45),
  components: z
    .array(
      z.union([
        z.looseObject({ type: z.literal(18), label: z.string().min(1).max(45), description: z.string().max(100).optional(), component: textInputSchema }),
        z.looseObject({ type: z.literal(1), components: z.array(textInputSchema.extend({ label: z.string().min(1).max(45) })).length(1) }),
      ]),
    )
    .min(1)
    .max(5),
});

export const autocompleteSchema = z.looseObject({
  choices: z.array(z.looseObject({ name: z.string().min(1).max(100), value: z.union([z.string().max(100), z.number()]) })).max(25),
});

const commandNameSchema = z.string().regex(/^[-_\p{Ll}\p{N}]{1,32}$/u);
const commandOptionSchema: z.ZodType<unknown> = z.lazy(() =>
  z.looseObject({
    type: z.number().int().min(1).max(11),
    name: commandNameSchema,
    description: z.string().min(1).max(100),
    required: z.boolean().optional(),
    choices: z.array(z.looseObject({ name: z.string().min(1).max(100), value: z.union([z.string().max(100), z.number()]) })).max(25).optional(),
    autocomplete: z.boolean().optional(),
    options: z.array(commandOptionSchema).max(25).optional(),
  }),
);

export const commandsSchema = z
  .array(z.looseObject({ name: commandNameSchema, description: z.string().min(1).max(100), type: z.number().int().optional(), options: z.array(commandOptionSchema).max(25).optional() }))
  .max(100);

export function check<T>(schema: z.ZodType<T>, body: unknown): Checked<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return { ok: true, value: parsed.data };
  return refuse(50035, 'Invalid Form Body', parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
}
