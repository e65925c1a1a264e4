import { actionIdSchema, type ActionId } from '../../core/model/message.js';
import { DISCORD_LIMITS } from './limits.js';

/** Prefix of every component and modal id this adapter creates (other bots' ids are ignored). */
const PREFIX = 'mlec';
/** Owner of buttons anyone may press (daily quiz posts). */
export const ANYONE = '*';

/**
 * What a button or modal carries: the engine action, the Discord user who may use it and an
 * optional value. Encoded as `mlec:<action>:<owner>[:<value>]` within Discord's 100 characters.
 */
export interface ComponentId {
  action: ActionId;
  /** Discord user id, or `*` for everyone. */
  owner: string;
  value?: string;
}

export function encodeComponentId(id: ComponentId): string {
  const base = `${PREFIX}:${id.action}:${id.owner}`;
  if (id.value === undefined || id.value === '') return base;
  const full = `${base}:${id.value}`;
  if (full.length > DISCORD_LIMITS.customId) {
    throw new RangeError(`button value too long for a Discord custom id (${full.length} > ${DISCORD_LIMITS.customId})`);
  }
  return full;
}

export function decodeComponentId(customId: string): ComponentId | undefined {
  const [prefix, action, owner, ...rest] = customId.split(':');
  if (prefix !== PREFIX || !owner) return undefined;
  const parsed = actionIdSchema.safeParse(action);
  if (!parsed.success) return undefined;
  if (owner !== ANYONE && !/^\d{1,20}$/.test(owner)) return undefined;
  const value = rest.join(':');
  return value === '' ? { action: parsed.data, owner } : { action: parsed.data, owner, value };
}
