import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { Button, Conversation, Reply } from '../../core/model/message.js';
import { actionsBlocks, contentBlocks, LIMITS } from './blocks.js';
import { truncate } from './text.js';

type KnownBlock = types.KnownBlock;

export const ANSWER_MODAL_CALLBACK = 'submit-answer';
export const ANSWER_BLOCK_ID = 'answer';
export const ANSWER_INPUT_ID = 'text';
/** Slack's maximum for a plain_text_input. Longer answers are given as thread replies (up to 40,000 characters). */
export const ANSWER_MAX_CHARS = 3000;

/** Where a modal's answer belongs; stored in the modal's private_metadata (max 3000 characters). */
const modalMetadataSchema = z.object({ c: z.string().min(1), t: z.string().min(1).optional(), d: z.boolean() });

export function encodeModalMetadata(conversation: Conversation): string {
  return JSON.stringify({ c: conversation.channelId, t: conversation.threadId, d: conversation.isDirect });
}

export function decodeModalMetadata(raw: string): Conversation | undefined {
  try {
    const parsed = modalMetadataSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) return undefined;
    return { channelId: parsed.data.c, threadId: parsed.data.t, isDirect: parsed.data.d };
  } catch {
    return undefined;
  }
}

/** The "Answer in a form" modal. `questionMrkdwn` is the question as it appeared in our own message. */
export function answerModal(conversation: Conversation, questionMrkdwn?: string): types.ModalView {
  const blocks: KnownBlock[] = [];
  if (questionMrkdwn) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(questionMrkdwn, LIMITS.sectionText), verbatim: true } });
  blocks.push({
    type: 'input',
    block_id: ANSWER_BLOCK_ID,
    label: { type: 'plain_text', text: 'Your answer' },
    hint: { type: 'plain_text', text: `Up to ${ANSWER_MAX_CHARS.toLocaleString('en-US')} characters. Longer answers: reply in the thread.` },
    element: { type: 'plain_text_input', action_id: ANSWER_INPUT_ID, multiline: true, min_length: 1, max_length: ANSWER_MAX_CHARS },
  });
  return {
    type: 'modal',
    callback_id: ANSWER_MODAL_CALLBACK,
    title: { type: 'plain_text', text: 'Your answer' },
    submit: { type: 'plain_text', text: 'Submit' },
    close: { type: 'plain_text', text: 'Cancel' },
    private_metadata: encodeModalMetadata(conversation),
    blocks,
  };
}

/**
 * The Home tab: the user's progress as the engine renders it, then buttons to start an interview per track.
 * Collapsed sections are shown inline (Home is the user's own space).
 */
export function homeView(replies: readonly Reply[], tracks: readonly string[]): types.HomeView {
  const start: Button[] = tracks.map((track, index) => ({
    action: 'start-interview',
    label: `Interview: ${track}`,
    value: track,
    style: index === 0 ? 'primary' : 'secondary',
  }));
  const footer: KnownBlock[] = [
    { type: 'divider' },
    { type: 'section', text: { type: 'mrkdwn', text: '*Start a mock interview* (it runs in our direct messages)', verbatim: true } },
    ...actionsBlocks(start),
    { type: 'context', elements: [{ type: 'mrkdwn', text: 'Or type `/coach interview <track>` in any channel, or `/coach help`.', verbatim: true }] },
  ];
  const body: KnownBlock[] = [];
  for (const reply of replies) {
    if (body.length > 0) body.push({ type: 'divider' });
    body.push(...contentBlocks(reply, { collapsible: false }));
    const extra = reply.buttons.filter((button) => button.action === 'start-interview' || button.action === 'progress');
    body.push(...actionsBlocks(extra));
  }
  const room = LIMITS.blocksPerView - footer.length;
  const kept = body.length > room ? [...body.slice(0, room - 1), { type: 'context', elements: [{ type: 'mrkdwn', text: '_More in `/coach progress`._' }] } as KnownBlock] : body;
  return { type: 'home', blocks: [...kept, ...footer] };
}
