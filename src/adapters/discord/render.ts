import { basename } from 'node:path';
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed, type MessageMentionOptions } from 'discord.js';
import type { Button, Reply, ReplyKind, Section } from '../../core/model/message.js';
import { encodeComponentId } from './custom-id.js';
import { DISCORD_LIMITS as L } from './limits.js';
import { neutraliseMentions, spoiler, splitText, truncate } from './markup.js';

/** One Discord message, ready for `channel.send`, `interaction.reply` or a webhook edit. */
export interface DiscordPayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  files: { attachment: string; name: string }[];
  allowedMentions: MessageMentionOptions;
  /** Only the asker sees it (interaction replies); message contexts send it by DM instead. */
  ephemeral: boolean;
}

export interface RenderOptions {
  /** Discord id of the user allowed to press the buttons, or `*` (see custom-id.ts). */
  owner: string;
  /** The only user a reply may ping; nobody when absent. */
  askerId?: string;
  /** Start with a mention of the asker (the first message in a new thread, to notify them). */
  mentionAsker?: boolean;
}

/** Kinds shown as plain messages; everything else is an embed. */
const PLAIN_KINDS: ReadonlySet<ReplyKind> = new Set(['info', 'error']);

const COLOURS = { brand: 0x5865f2, good: 0x57f287, fair: 0xfee75c, poor: 0xed4245 } as const;

const BUTTON_STYLES = { primary: ButtonStyle.Primary, secondary: ButtonStyle.Secondary, danger: ButtonStyle.Danger } as const;

/** Renders one engine reply as one or more Discord messages within every size limit. */
export function renderReply(reply: Reply, options: RenderOptions): DiscordPayload[] {
  return PLAIN_KINDS.has(reply.kind) ? renderPlainReply(reply, options) : renderEmbedReply(reply, options);
}

/** The same reply as plain text messages (also the fallback when an embed is refused). */
export function renderPlainReply(reply: Reply, options: RenderOptions): DiscordPayload[] {
  const prefix = mentionPrefix(options);
  const blocks: string[] = [];
  if (reply.title) blocks.push(`**${truncate(neutraliseMentions(reply.title), 300)}**`);
  for (const section of reply.sections) blocks.push(...sectionBlocks(section, L.content - prefix.length));
  const contents = packBlocks(blocks, L.content, prefix.length);
  if (contents.length === 0) contents.push('');
  const payloads = contents.map((content, index) => basePayload(reply, options, index === 0 ? prefix + content : content));
  return finish(reply, options, payloads);
}

function renderEmbedReply(reply: Reply, options: RenderOptions): DiscordPayload[] {
  const embeds = buildEmbeds(reply);
  const groups = packEmbeds(embeds);
  const prefix = mentionPrefix(options).trim();
  const payloads = groups.map((group, index) => ({ ...basePayload(reply, options, index === 0 ? prefix : ''), embeds: group }));
  if (payloads.length === 0) payloads.push(basePayload(reply, options, prefix));
  const first = payloads[0];
  const image = reply.images[0];
  if (first && image && first.embeds[0]) first.embeds[0] = { ...first.embeds[0], image: { url: `attachment://${attachmentName(image.path, 0)}` } };
  return finish(reply, options, payloads);
}

function mentionPrefix(options: RenderOptions): string {
  return options.mentionAsker && options.askerId ? `<@${options.askerId}> ` : '';
}

function basePayload(reply: Reply, options: RenderOptions, content: string): DiscordPayload {
  return {
    content,
    embeds: [],
    components: [],
    files: [],
    // Only the asker may be pinged, whatever the text says.
    allowedMentions: { parse: [], users: options.askerId ? [options.askerId] : [], repliedUser: false },
    ephemeral: reply.private,
  };
}

/** Images on the first message, buttons under the last, never an empty message. */
function finish(reply: Reply, options: RenderOptions, payloads: DiscordPayload[]): DiscordPayload[] {
  const first = payloads[0];
  const last = payloads[payloads.length - 1];
  if (first) first.files = reply.images.slice(0, L.filesPerMessage).map((image, index) => ({ attachment: image.path, name: attachmentName(image.path, index) }));
  if (last) last.components = buttonRows(reply.buttons, options.owner);
  for (const payload of payloads) {
    const empty = !payload.content?.trim() && payload.embeds.length === 0 && payload.files.length === 0;
    if (empty) payload.content = reply.title ? truncate(neutraliseMentions(reply.title), L.content) : '\u200b';
  }
  return payloads;
}

function attachmentName(path: string, index: number): string {
  const name = basename(path).replace(/[^\w.-]/g, '_');
  return /\.(png|jpe?g|gif|webp)$/i.test(name) ? name : `image-${index + 1}.png`;
}

function buttonRows(buttons: readonly Button[], owner: string): APIActionRowComponent<APIButtonComponentWithCustomId>[] {
  const components: APIButtonComponentWithCustomId[] = buttons.slice(0, L.buttonsPerRow * L.actionRows).map((button) => ({
    type: ComponentType.Button,
    style: BUTTON_STYLES[button.style ?? 'secondary'],
    label: truncate(button.label, L.buttonLabel),
    custom_id: componentId(button, owner),
  }));
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let start = 0; start < components.length; start += L.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: components.slice(start, start + L.buttonsPerRow) });
  }
  return rows;
}

/** A value too long for Discord's 100-character id is dropped: the engine also knows the conversation. */
function componentId(button: Button, owner: string): string {
  try {
    return encodeComponentId({ action: button.action, owner, value: button.value });
  } catch {
    return encodeComponentId({ action: button.action, owner });
  }
}

/** A section as text blocks no longer than `limit`, collapsed sections in spoilers piece by piece. */
function sectionBlocks(section: Section, limit: number): string[] {
  const body = neutraliseMentions(section.body).trim();
  const heading = section.heading ? `**${truncate(neutraliseMentions(section.heading), 200)}**` : '';
  if (!body) return heading ? [heading] : [];
  const headingRoom = heading ? heading.length + 1 : 0;
  const pieces = section.collapsed ? splitText(escapeBars(body), limit - headingRoom - 4).map((piece) => `||${piece}||`) : splitText(body, limit - headingRoom);
  return pieces.map((piece, index) => (index === 0 && heading ? `${heading}\n${piece}` : piece));
}

function escapeBars(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** Greedily joins blocks with blank lines into messages of at most `limit` (the first has `firstReserve` less). */
function packBlocks(blocks: readonly string[], limit: number, firstReserve: number): string[] {
  const messages: string[] = [];
  let current = '';
  for (const block of blocks) {
    const room = limit - (messages.length === 0 ? firstReserve : 0);
    const joined = current ? `${current}\n\n${block}` : block;
    if (joined.length <= room) {
      current = joined;
      continue;
    }
    if (current) messages.push(current);
    current = block;
  }
  if (current) messages.push(current);
  return messages;
}

function colourOf(reply: Reply): number {
  return reply.tone === 'neutral' ? COLOURS.brand : COLOURS[reply.tone];
}

export function embedSize(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + fields + (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
}

/**
 * Sections become embed fields when they fit (heading <= 256, body <= 1024), otherwise
 * descriptions of successive embeds (<= 4096 each); order is kept.
 */
function buildEmbeds(reply: Reply): APIEmbed[] {
  const colour = colourOf(reply);
  const embeds: APIEmbed[] = [];
  let current: APIEmbed = { color: colour, ...(reply.title ? { title: truncate(neutraliseMentions(reply.title), L.embedTitle) } : {}) };
  const startNew = () => {
    if (current.title || current.description || current.fields?.length) embeds.push(current);
    current = { color: colour };
  };
  for (const section of reply.sections) {
    const body = neutraliseMentions(section.body).trim();
    const heading = section.heading ? neutraliseMentions(section.heading).trim() : '';
    const value = section.collapsed ? spoiler(body) : body;
    if (heading && value && value.length <= L.fieldValue) {
      const field = { name: truncate(heading, L.fieldName), value };
      const full = (current.fields?.length ?? 0) >= L.embedFields || embedSize(current) + field.name.length + field.value.length > L.embedTotal;
      if (full) startNew();
      current.fields = [...(current.fields ?? []), field];
      continue;
    }
    for (const block of sectionBlocks(section, L.embedDescription)) {
      const joined = current.description ? `${current.description}\n\n${block}` : block;
      const fits = !current.fields?.length && joined.length <= L.embedDescription && embedSize(current) - (current.description?.length ?? 0) + joined.length <= L.embedTotal;
      if (!fits) startNew();
      current.description = fits ? joined : block;
    }
  }
  startNew();
  return embeds;
}

/** Groups embeds into messages: at most 10 per message and 6,000 characters in total. */
function packEmbeds(embeds: readonly APIEmbed[]): APIEmbed[][] {
  const groups: APIEmbed[][] = [];
  let group: APIEmbed[] = [];
  let size = 0;
  for (const embed of embeds) {
    const next = embedSize(embed);
    if (group.length > 0 && (group.length >= L.embedsPerMessage || size + next > L.embedTotal)) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(embed);
    size += next;
  }
  if (group.length) groups.push(group);
  return groups;
}
