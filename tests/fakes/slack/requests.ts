import { createHmac } from 'node:crypto';

/**
 * What Slack sends to an app: correctly signed HTTP requests (v0 HMAC-SHA256 over `v0:<ts>:<body>`) carrying
 * slash commands (form), Events API envelopes (JSON) and interactions (`payload=<json>` form), plus the
 * payload builders shared by HTTP and Socket Mode tests.
 */

export const SIGNING_SECRET = 'test-signing-secret';
export const TEAM = 'T1';

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignedPost {
  body: string;
  contentType: string;
  secret?: string;
  /** Seconds since epoch (default now). */
  timestamp?: number;
  /** Overrides the computed signature (forgeries). */
  signature?: string | null;
  headers?: Record<string, string>;
}

export interface BoltResponse {
  status: number;
  text: string;
  elapsedMs: number;
}

export async function postSigned(url: string, request: SignedPost): Promise<BoltResponse> {
  const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { 'content-type': request.contentType, 'x-slack-request-timestamp': String(timestamp), ...request.headers };
  const signed = request.signature === undefined ? signature(request.secret ?? SIGNING_SECRET, timestamp, request.body) : request.signature;
  if (signed !== null) headers['x-slack-signature'] = signed;
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body: request.body });
  const text = await response.text();
  return { status: response.status, text, elapsedMs: performance.now() - started };
}

// ------------------------------------------------------------------ slash commands

export interface SlashCommandFields {
  text: string;
  user?: string;
  channel?: string;
  channelName?: string;
  responseUrl: string;
  command?: string;
}

export function slashCommandPayload(fields: SlashCommandFields): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM,
    team_domain: 'test',
    channel_id: fields.channel ?? 'C1',
    channel_name: fields.channelName ?? 'general',
    user_id: fields.user ?? 'U1',
    user_name: 'ada',
    command: fields.command ?? '/coach',
    text: fields.text,
    api_app_id: 'A1',
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: 'trigger-1',
  };
}

export function slashCommandRequest(fields: SlashCommandFields): SignedPost {
  return { body: new URLSearchParams(slashCommandPayload(fields)).toString(), contentType: 'application/x-www-form-urlencoded' };
}

// ------------------------------------------------------------------ events

let eventCounter = 0;

export function eventEnvelope(event: Record<string, unknown>, eventId?: string): Record<string, unknown> {
  eventCounter += 1;
  return {
    token: 'deprecated-verification-token',
    team_id: TEAM,
    api_app_id: 'A1',
    event,
    type: 'event_callback',
    event_id: eventId ?? `Ev${String(eventCounter).padStart(6, '0')}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: TEAM, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  };
}

export function eventRequest(envelope: Record<string, unknown>, headers?: Record<string, string>): SignedPost {
  return { body: JSON.stringify(envelope), contentType: 'application/json', ...(headers ? { headers } : {}) };
}

let tsCounter = 0;
export function userTs(): string {
  tsCounter += 1;
  return `1710000000.${String(tsCounter).padStart(6, '0')}`;
}

export interface MessageFields {
  text: string;
  user?: string;
  channel?: string;
  channelType?: 'channel' | 'group' | 'im' | 'mpim';
  threadTs?: string;
  parentUserId?: string;
  ts?: string;
  subtype?: string;
  botId?: string;
}

export function messageEvent(fields: MessageFields): Record<string, unknown> {
  return {
    type: 'message',
    channel: fields.channel ?? 'C1',
    channel_type: fields.channelType ?? 'channel',
    user: fields.user ?? 'U1',
    text: fields.text,
    ts: fields.ts ?? userTs(),
    event_ts: fields.ts ?? '0',
    team: TEAM,
    ...(fields.threadTs ? { thread_ts: fields.threadTs, parent_user_id: fields.parentUserId ?? 'UBOT' } : {}),
    ...(fields.subtype ? { subtype: fields.subtype } : {}),
    ...(fields.botId ? { bot_id: fields.botId } : {}),
  };
}

export function appMentionEvent(fields: { text: string; user?: string; channel?: string; ts?: string; threadTs?: string }): Record<string, unknown> {
  return {
    type: 'app_mention',
    channel: fields.channel ?? 'C1',
    user: fields.user ?? 'U1',
    text: fields.text,
    ts: fields.ts ?? userTs(),
    team: TEAM,
    ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
  };
}

export function appHomeOpenedEvent(user = 'U1'): Record<string, unknown> {
  return { type: 'app_home_opened', user, channel: `D${user.replace(/^U/, '')}`, tab: 'home', event_ts: '1710000000.000001' };
}

// ------------------------------------------------------------------ interactions

export interface BlockActionFields {
  actionId: string;
  value?: string;
  user?: string;
  channel?: string;
  /** ts of the message holding the button. */
  messageTs?: string;
  /** thread the message is in. */
  threadTs?: string;
  messageBlocks?: unknown[];
  responseUrl?: string;
  home?: boolean;
}

export function blockActionsPayload(fields: BlockActionFields): Record<string, unknown> {
  const user = { id: fields.user ?? 'U1', username: 'ada', name: 'ada', team_id: TEAM };
  const action = { type: 'button', action_id: fields.actionId, block_id: 'b1', text: { type: 'plain_text', text: 'x' }, action_ts: '1710000001.000001', ...(fields.value !== undefined ? { value: fields.value } : {}) };
  if (fields.home) {
    return { type: 'block_actions', team: { id: TEAM, domain: 'test' }, user, api_app_id: 'A1', container: { type: 'view', view_id: 'VHOME' }, trigger_id: 'trigger-2', view: { id: 'VHOME', type: 'home' }, actions: [action] };
  }
  const messageTs = fields.messageTs ?? '1700000000.000001';
  return {
    type: 'block_actions',
    team: { id: TEAM, domain: 'test' },
    user,
    api_app_id: 'A1',
    container: { type: 'message', message_ts: messageTs, channel_id: fields.channel ?? 'C1', is_ephemeral: false, ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}) },
    trigger_id: 'trigger-2',
    channel: { id: fields.channel ?? 'C1', name: 'general' },
    message: { type: 'message', user: 'UBOT', ts: messageTs, text: 'question', blocks: fields.messageBlocks ?? [], ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}) },
    ...(fields.responseUrl ? { response_url: fields.responseUrl } : {}),
    actions: [action],
  };
}

export function viewSubmissionPayload(view: { callback_id: string; private_metadata: string }, answer: string, user = 'U1'): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: TEAM, domain: 'test' },
    user: { id: user, username: 'ada', name: 'ada', team_id: TEAM },
    api_app_id: 'A1',
    trigger_id: 'trigger-3',
    view: {
      id: 'VMODAL',
      type: 'modal',
      callback_id: view.callback_id,
      private_metadata: view.private_metadata,
      state: { values: { answer: { text: { type: 'plain_text_input', value: answer } } } },
    },
    response_urls: [],
  };
}

export function interactionRequest(payload: Record<string, unknown>): SignedPost {
  return { body: new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), contentType: 'application/x-www-form-urlencoded' };
}
