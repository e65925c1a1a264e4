import type { types } from '@slack/bolt';
import type { Button, Reply, Section } from '../../core/model/message.js';
import { escapeSlackText, neutralToMrkdwn, neutralToPlain, splitMrkdwn, truncate } from './text.js';

type KnownBlock = types.KnownBlock;
type SectionBlock = types.SectionBlock;
type ActionsBlock = types.ActionsBlock;

/** Block Kit limits (docs.slack.dev/reference/block-kit). */
export const LIMITS = {
  sectionText: 3000,
  blocksPerMessage: 50,
  blocksPerView: 100,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  buttonsPerActions: 25,
  containerChildren: 10,
  /** Not a documented limit: keeps one message readable and well under `msg_blocks_too_long`. */
  charsPerMessage: 12_000,
  fallbackText: 300,
} as const;

/** One chat.postMessage / chat.postEphemeral / response_url payload. */
export interface SlackMessage {
  /** Notification and accessibility fallback (plain, escaped). */
  text: string;
  blocks: KnownBlock[];
}

export interface RenderOptions {
  /** Collapsed sections as collapsible `container` blocks (default) or inline under their heading. */
  collapsible?: boolean;
  /** Add "Answer in a form" to questions that lack it (messages only, not ephemeral or Home). */
  offerAnswerForm?: boolean;
}

/** `@channel`, `@here` and `@everyone` in plain text fields are broken with a word joiner so they never ping. */
export function defuseBroadcasts(text: string): string {
  return text.replace(/@(channel|here|everyone)\b/gi, '@\u2060$1');
}

function mrkdwn(text: string): types.MrkdwnElement {
  // verbatim: Slack must not auto-parse `@channel`, `#channel` or URLs in text we pass through.
  return { type: 'mrkdwn', text, verbatim: true };
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: defuseBroadcasts(truncate(text.trim() || ' ', max)), emoji: true };
}

function sectionBlocks(section: Section): SectionBlock[] {
  const heading = section.heading ? `*${escapeSlackText(section.heading)}*\n` : '';
  const body = neutralToMrkdwn(section.body);
  const text = `${heading}${body}`.trim();
  if (!text) return [];
  return splitMrkdwn(text, LIMITS.sectionText).map((piece) => ({ type: 'section', text: mrkdwn(piece) }));
}

function collapsedBlock(section: Section): KnownBlock[] {
  const children = sectionBlocks({ body: section.body, collapsed: false });
  if (children.length === 0) return [];
  const kept = children.slice(0, LIMITS.containerChildren);
  if (children.length > kept.length) kept[kept.length - 1] = { type: 'section', text: mrkdwn('_(cut: too long to show here)_') };
  const container: types.ContainerBlock = {
    type: 'container',
    title: plain(section.heading ?? 'Details', LIMITS.headerText),
    is_collapsible: true,
    default_collapsed: true,
    child_blocks: kept,
  };
  return [container];
}

const TONE_EMOJI: Record<Reply['tone'], string> = {
  good: ':large_green_circle:',
  fair: ':large_yellow_circle:',
  poor: ':red_circle:',
  neutral: ':white_circle:',
};

function scoreBlock(score: number, tone: Reply['tone']): types.ContextBlock {
  return { type: 'context', elements: [mrkdwn(`${TONE_EMOJI[tone]} *Score: ${score}/100*`)] };
}

function imageBlocks(reply: Reply): KnownBlock[] {
  // Charts are local PNGs; Block Kit images need a public URL or an uploaded file. See docs/slack.md.
  return reply.images.map((image) => ({ type: 'context', elements: [mrkdwn(`:bar_chart: _${escapeSlackText(image.alt)}: the chart is not shown in Slack; the numbers are above._`)] }));
}

/** Action ids must be unique inside one actions block: repeats get a `:n` suffix, read back by `actionIdOf`. */
export function actionIdOf(slackActionId: string): string {
  return slackActionId.split(':')[0] ?? slackActionId;
}

function buttonElement(button: Button, actionId: string): types.Button {
  const element: types.Button = { type: 'button', action_id: actionId, text: plain(button.label, LIMITS.buttonText) };
  if (button.value !== undefined && button.value !== '') element.value = button.value.slice(0, LIMITS.buttonValue);
  if (button.style === 'primary' || button.style === 'danger') element.style = button.style;
  return element;
}

export function actionsBlocks(buttons: readonly Button[]): ActionsBlock[] {
  const used = new Map<string, number>();
  const elements = buttons.map((button) => {
    const count = used.get(button.action) ?? 0;
    used.set(button.action, count + 1);
    const suffix = button.action === 'start-interview' && button.value ? button.value : count > 0 ? String(count) : '';
    return buttonElement(button, suffix ? `${button.action}:${suffix}` : button.action);
  });
  const blocks: ActionsBlock[] = [];
  for (let index = 0; index < elements.length; index += LIMITS.buttonsPerActions) {
    blocks.push({ type: 'actions', elements: elements.slice(index, index + LIMITS.buttonsPerActions) });
  }
  return blocks;
}

function blockChars(block: KnownBlock): number {
  return JSON.stringify(block).length;
}

export function replyButtons(reply: Reply, options: RenderOptions = {}): Button[] {
  const buttons = [...reply.buttons];
  if (options.offerAnswerForm && reply.kind === 'question' && !buttons.some((button) => button.action === 'answer-form')) {
    buttons.push({ action: 'answer-form', label: 'Answer in a form', style: 'secondary' });
  }
  return buttons;
}

/** The content blocks of a reply, without its buttons. */
export function contentBlocks(reply: Reply, options: RenderOptions = {}): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  // Graded feedback shows its score with a colour: in the header when the title carries it, else on its own line.
  const score = reply.kind === 'feedback' && reply.score !== undefined ? Math.round(reply.score) : undefined;
  const scoreInTitle = score !== undefined && Boolean(reply.title?.includes(`${score}/100`));
  if (reply.title) blocks.push({ type: 'header', text: plain(scoreInTitle && score !== undefined ? `${TONE_EMOJI[reply.tone]} ${reply.title}` : reply.title, LIMITS.headerText) });
  if (score !== undefined && !scoreInTitle) blocks.push(scoreBlock(score, reply.tone));
  for (const section of reply.sections) {
    if (section.collapsed && options.collapsible !== false) blocks.push(...collapsedBlock(section));
    else blocks.push(...sectionBlocks(section));
  }
  blocks.push(...imageBlocks(reply));
  return blocks;
}

export function fallbackText(reply: Reply): string {
  const first = reply.title ?? reply.sections.find((section) => !section.collapsed)?.body ?? reply.kind;
  return defuseBroadcasts(escapeSlackText(truncate(neutralToPlain(first), LIMITS.fallbackText)));
}

/**
 * A reply as one or more Slack messages: at most 50 blocks and a bounded size each, sections cut at 3000
 * characters, buttons on the last message.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  const content = contentBlocks(reply, options);
  const actions = actionsBlocks(replyButtons(reply, options));
  const messages: KnownBlock[][] = [];
  let current: KnownBlock[] = [];
  let chars = 0;
  const room = (block: KnownBlock) => current.length < LIMITS.blocksPerMessage && chars + blockChars(block) <= LIMITS.charsPerMessage;
  for (const block of content) {
    if (current.length > 0 && !room(block)) {
      messages.push(current);
      current = [];
      chars = 0;
    }
    current.push(block);
    chars += blockChars(block);
  }
  const actionsChars = actions.reduce((sum, block) => sum + blockChars(block), 0);
  if (current.length + actions.length > LIMITS.blocksPerMessage || (current.length > 0 && chars + actionsChars > LIMITS.charsPerMessage)) {
    messages.push(current);
    current = [];
  }
  current.push(...actions);
  if (current.length > 0) messages.push(current);
  // A reply with nothing to show as blocks is sent as its fallback text alone.
  if (messages.length === 0) messages.push([]);
  const text = fallbackText(reply);
  return messages.map((blocks, index) => ({ text: index === 0 ? text : `${text} (${index + 1}/${messages.length})`, blocks }));
}

export function hasCollapsedSections(reply: Reply): boolean {
  return reply.sections.some((section) => section.collapsed);
}
