import type { AllowedMentionsJson } from './validate.js';

/** Who a new message notifies, computed with Discord's allowed-mentions rules. */
export interface Pings {
  everyone: boolean;
  users: string[];
  roles: string[];
}

export const NO_PINGS: Pings = { everyone: false, users: [], roles: [] };

/**
 * Discord's rules: without `allowed_mentions` everything in the content pings; with it, `parse`
 * lists the kinds parsed from the content and `users`/`roles` whitelist ids (that must also be in
 * the content). A reply pings the replied-to author only when `replied_user` is true (default:
 * true without `allowed_mentions`, false with it). Edits never ping.
 */
export function computePings(content: string, allowed: AllowedMentionsJson | undefined, repliedUserId?: string): Pings {
  const userIds = [...content.matchAll(/<@!?(\d+)>/g)].map((match) => match[1] ?? '');
  const roleIds = [...content.matchAll(/<@&(\d+)>/g)].map((match) => match[1] ?? '');
  const mentionsEveryone = /@(everyone|here)/.test(content);
  const parse = allowed ? (allowed.parse ?? []) : ['users', 'roles', 'everyone'];
  const users = new Set(userIds.filter((id) => parse.includes('users') || (allowed?.users ?? []).includes(id)));
  const repliedUser = allowed ? (allowed.replied_user ?? false) : true;
  if (repliedUserId && repliedUser) users.add(repliedUserId);
  return {
    everyone: mentionsEveryone && parse.includes('everyone'),
    users: [...users],
    roles: [...new Set(roleIds.filter((id) => parse.includes('roles') || (allowed?.roles ?? []).includes(id)))],
  };
}
