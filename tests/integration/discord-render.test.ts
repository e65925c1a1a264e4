import { describe, expect, it } from 'vitest';
import { decodeComponentId, encodeComponentId } from '../../src/adapters/discord/custom-id.js';
import { neutraliseMentions, spoiler, splitText } from '../../src/adapters/discord/markup.js';
import { renderPlainReply, renderReply, type DiscordPayload } from '../../src/adapters/discord/render.js';
import { buildSlashCommands, slashToText, suggestTracks } from '../../src/adapters/discord/slash.js';
import { COMMANDS } from '../../src/core/commands/list.js';
import { reply, type ReplyInput } from '../../src/core/model/message.js';
import { trackNames } from '../../src/knowledge/areas.js';
import { checkMessageBody, commandsSchema } from '../fakes/discord/validate.js';

/** The JSON discord.js would send for a payload (what the fake validates). */
function wire(payload: DiscordPayload): unknown {
  return { content: payload.content, embeds: payload.embeds, components: payload.components, allowed_mentions: { parse: payload.allowedMentions.parse, users: payload.allowedMentions.users } };
}

/** Deterministic pseudo-random text: words, newlines, code fences, mentions, pipes. */
function text(seed: number, length: number): string {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const pieces = ['precision', 'recall', '@everyone', '<@123456789012345678>', '||x||', '\n', '\n\n', '```py\nprint(1)\n```', '- bullet', '> quote', 'é', '🙂', 'a'.repeat(300)];
  let out = '';
  while (out.length < length) out += `${pieces[Math.floor(next() * pieces.length)] ?? ''} `;
  const cut = out.slice(0, length).replace(/`{1,2}$/, '');
  // Balanced fences in, balanced fences out.
  return (cut.match(/```/g)?.length ?? 0) % 2 ? `${cut}\n\`\`\`` : cut;
}

/** Text without whitespace and without fence close-and-reopen pairs: what splitting must preserve. */
const canonical = (value: string) => value.replace(/\s+/g, '').replace(/``````(py)?/g, '');

describe('Discord rendering', () => {
  it('GIVEN text with every mention form WHEN neutralised THEN none of them can ping or render as a mention', () => {
    const out = neutraliseMentions('@everyone @here <@123> <@!456> <@&789> mail@example.com');
    expect(out).not.toMatch(/@everyone|@here|<@!?\d+>|<@&\d+>/);
    expect(out.replace(/\u200b/g, '')).toBe('@everyone @here <@123> <@!456> <@&789> mail@example.com');
  });

  it('GIVEN text containing bars WHEN put in a spoiler THEN the spoiler cannot be closed early', () => {
    expect(spoiler('a || b')).toBe('||a \\|\\| b||');
  });

  it('GIVEN long text WHEN split THEN every chunk fits, nothing is lost and code fences stay balanced', () => {
    for (let seed = 1; seed <= 40; seed += 1) {
      const input = text(seed, 500 + seed * 173);
      for (const limit of [100, 1024, 2000]) {
        const chunks = splitText(input, limit);
        for (const chunk of chunks) {
          expect(chunk.length).toBeLessThanOrEqual(limit);
          expect((chunk.match(/```/g)?.length ?? 0) % 2).toBe(0);
        }
        expect(canonical(chunks.join(''))).toBe(canonical(input));
      }
    }
  });

  it('GIVEN replies of every size and kind WHEN rendered THEN Discord accepts every message', () => {
    const kinds = ['question', 'feedback', 'summary', 'answer', 'progress', 'info', 'error'] as const;
    for (let seed = 1; seed <= 30; seed += 1) {
      const input: ReplyInput = {
        kind: kinds[seed % kinds.length] ?? 'info',
        title: text(seed, 20 + (seed % 5) * 100),
        score: seed % 2 ? seed * 3 : undefined,
        sections: Array.from({ length: 1 + (seed % 30) }, (_, index) => ({
          heading: index % 3 ? text(seed + index, 10 + ((seed * index) % 300)) : undefined,
          body: text(seed * 7 + index, (seed * 97 * (index + 1)) % 5000),
          collapsed: index % 4 === 0,
        })),
        buttons: [
          { action: 'hint', label: 'Hint', value: 'session-1' },
          { action: 'answer-form', label: 'Answer in a form', value: 'x'.repeat(200) },
        ],
      };
      const payloads = renderReply(reply(input), { owner: '42', askerId: '42', mentionAsker: seed % 2 === 0 });
      for (const payload of payloads) {
        const checked = checkMessageBody(wire(payload), payload.files.length);
        expect(checked.ok ? 'accepted' : checked.problems).toBe('accepted');
        expect(payload.allowedMentions).toEqual({ parse: [], users: ['42'], repliedUser: false });
      }
      expect(payloads.at(-1)?.components[0]?.components.map((button) => button.custom_id)).toEqual(['mlec:hint:42:session-1', 'mlec:answer-form:42']);
      for (const payload of renderPlainReply(reply(input), { owner: '42' })) expect(checkMessageBody(wire(payload), 0).ok).toBe(true);
    }
  });

  it('GIVEN a reply with only buttons THEN the message is still not empty', () => {
    const [payload] = renderReply(reply({ kind: 'quiz', buttons: [{ action: 'quiz-answer', label: 'Answer' }] }), { owner: '*' });
    expect(checkMessageBody(wire(payload!), 0).ok).toBe(true);
  });

  it('GIVEN a reply with an image THEN it is attached and shown in the first embed', () => {
    const [payload] = renderReply(reply({ kind: 'progress', title: 'Progress', images: [{ path: '/tmp/charts/mastery chart.png', alt: 'chart' }] }), { owner: '1' });
    expect(payload?.files).toEqual([{ attachment: '/tmp/charts/mastery chart.png', name: 'mastery_chart.png' }]);
    expect(payload?.embeds[0]?.image?.url).toBe('attachment://mastery_chart.png');
  });
});

describe('Discord component ids', () => {
  it('GIVEN an action, an owner and a value THEN they survive the round trip', () => {
    const id = encodeComponentId({ action: 'skip', owner: '123456789012345678', value: 'a:b' });
    expect(decodeComponentId(id)).toEqual({ action: 'skip', owner: '123456789012345678', value: 'a:b' });
    expect(decodeComponentId(encodeComponentId({ action: 'quiz-answer', owner: '*' }))).toEqual({ action: 'quiz-answer', owner: '*' });
  });

  it('GIVEN foreign or malformed ids THEN they are not ours', () => {
    for (const id of ['other:hint:1', 'mlec:explode:1', 'mlec:hint:not-a-user', 'mlec:hint']) expect(decodeComponentId(id)).toBeUndefined();
    expect(() => encodeComponentId({ action: 'hint', owner: '1', value: 'v'.repeat(100) })).toThrow(RangeError);
  });
});

describe('Discord slash commands', () => {
  it('GIVEN the command list THEN /coach has one subcommand per slash command, in a shape Discord accepts', () => {
    const body = buildSlashCommands();
    expect(commandsSchema.safeParse(body).success).toBe(true);
    const [coach] = body;
    expect(coach?.name).toBe('coach');
    expect(coach?.options?.map((option) => option.name)).toEqual(COMMANDS.filter((command) => command.slash).map((command) => command.name));
    const interview = coach?.options?.find((option) => option.name === 'interview');
    expect(interview).toMatchObject({
      type: 1,
      options: [
        { name: 'track', type: 3, autocomplete: true, required: false },
        { name: 'level', type: 3, choices: [{ name: 'easy', value: 'easy' }, { name: 'medium', value: 'medium' }, { name: 'hard', value: 'hard' }] },
        { name: 'questions', type: 4, min_value: 1, max_value: 10 },
      ],
    });
    const quiz = coach?.options?.find((option) => option.name === 'quiz');
    expect(quiz?.description.length).toBeLessThanOrEqual(100);
    expect(quiz?.description).not.toContain('`');
  });

  it('GIVEN slash options THEN they become the plain-text grammar', () => {
    const values: Record<string, string | number> = { track: 'metrics', level: 'hard', questions: 3 };
    expect(slashToText('interview', (name) => values[name])).toBe('interview metrics --level hard --questions 3');
    expect(slashToText('interview', () => null)).toBe('interview');
    expect(slashToText('ask', (name) => (name === 'question' ? 'what is  AUC?' : null))).toBe('ask what is  AUC?');
    expect(slashToText('quiz', (name) => (name === 'args' ? 'schedule 09:00 mon-fri Europe/Berlin metrics' : null))).toBe('quiz schedule 09:00 mon-fri Europe/Berlin metrics');
  });

  it('GIVEN a partial track name THEN autocomplete suggests prefix matches first, at most 25', () => {
    expect(suggestTracks('')).toHaveLength(Math.min(25, trackNames().length));
    expect(suggestTracks('METRICS')[0]).toEqual({ name: 'metrics', value: 'metrics' });
    expect(suggestTracks('zzz')).toEqual([]);
  });
});
