import { describe, expect, it } from 'vitest';
import type { types } from '@slack/bolt';
import { reply } from '../../src/core/model/message.js';
import { LIMITS, renderReply } from '../../src/adapters/slack/blocks.js';
import { slashCommandToText } from '../../src/adapters/slack/commandText.js';
import { resolveSlackMode, slackApiUrl } from '../../src/adapters/slack/mode.js';
import { decodeSlackText, escapeSlackText, neutralToMrkdwn, splitMrkdwn, stripBotMention } from '../../src/adapters/slack/text.js';
import { decodeModalMetadata, encodeModalMetadata, homeView } from '../../src/adapters/slack/views.js';
import { configSchema } from '../../src/config/schema.js';

function sectionTexts(blocks: readonly types.KnownBlock[]): string[] {
  const texts: string[] = [];
  for (const block of blocks) {
    if (block.type === 'section' && block.text) texts.push(block.text.text);
    if (block.type === 'container') texts.push(...sectionTexts(block.child_blocks));
  }
  return texts;
}

describe('Slack text', () => {
  it('GIVEN user text with mentions and markup WHEN escaped THEN no <...> token survives', () => {
    expect(escapeSlackText('a <!channel> & <@U1> <http://x|y>')).toBe('a &lt;!channel&gt; &amp; &lt;@U1&gt; &lt;http://x|y&gt;');
  });

  it('GIVEN Slack message text WHEN decoded THEN the user gets back what they typed', () => {
    expect(decodeSlackText('hey <!channel> and <@U123|ada>, see <https://a.b/c|docs> &lt;b&gt; &amp;')).toBe('hey @channel and @ada, see docs (https://a.b/c) <b> &');
    expect(decodeSlackText('<#C1|general> <@U9> <!subteam^S1|@ml-team> <mailto:a@b.c|a@b.c>')).toBe('#general @U9 @ml-team a@b.c');
  });

  it('GIVEN a mention of the bot WHEN stripped THEN the command text remains', () => {
    expect(stripBotMention('<@UBOT> interview metrics', 'UBOT')).toBe('interview metrics');
    expect(stripBotMention('hi <@UBOT|mle-coach> ask x', 'UBOT')).toBe('hi ask x');
  });

  it('GIVEN neutral markup WHEN converted THEN it is mrkdwn with user text escaped', () => {
    expect(neutralToMrkdwn('**Covered**\n- precision <b>\n> you said <!channel>\n`a<b` _it_')).toBe(
      '*Covered*\n• precision &lt;b&gt;\n&gt; you said &lt;!channel&gt;\n`a&lt;b` _it_',
    );
  });

  it('GIVEN 40 KB of text WHEN split THEN every piece fits a section and nothing is lost or cut inside an entity', () => {
    const text = escapeSlackText('word <x> & '.repeat(4000));
    const pieces = splitMrkdwn(text, LIMITS.sectionText);
    expect(pieces.length).toBeGreaterThan(10);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(piece).not.toMatch(/&[a-z]{0,3}$/);
    }
    expect(pieces.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('GIVEN a long code block WHEN split THEN each piece opens and closes its fence', () => {
    const text = ['```', ...Array.from({ length: 400 }, (_, index) => `line ${index} ${'x'.repeat(20)}`), '```'].join('\n');
    const pieces = splitMrkdwn(text, LIMITS.sectionText);
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(piece.startsWith('```')).toBe(true);
      expect(piece.trimEnd().endsWith('```')).toBe(true);
    }
  });
});

describe('Slack replies as Block Kit', () => {
  it('GIVEN a feedback reply WHEN rendered THEN score, sections, a collapsed model answer and buttons are there', () => {
    const [message, ...rest] = renderReply(
      reply({
        kind: 'feedback',
        title: 'Question 1 of 3 — feedback',
        score: 72,
        sections: [
          { heading: 'Covered', body: '- precision\n- recall' },
          { heading: 'Model answer', body: 'Precision is TP/(TP+FP).', collapsed: true },
        ],
        buttons: [{ action: 'skip', label: 'Next' }, { action: 'end', label: 'End', style: 'danger' }],
      }),
    );
    expect(rest).toEqual([]);
    const types = message?.blocks.map((block) => block.type);
    expect(types).toEqual(['header', 'context', 'section', 'container', 'actions']);
    const container = message?.blocks[3] as types.ContainerBlock;
    expect(container.is_collapsible).toBe(true);
    expect(container.default_collapsed).toBe(true);
    expect(container.title?.text).toBe('Model answer');
    const actions = message?.blocks[4] as types.ActionsBlock;
    expect(actions.elements.map((element) => (element as types.Button).action_id)).toEqual(['skip', 'end']);
    expect(message?.text).toBe('Question 1 of 3 — feedback');
  });

  it('GIVEN feedback whose title carries the score THEN the header gets the colour and no second score line', () => {
    const [message] = renderReply(reply({ kind: 'feedback', title: 'Score: 85/100 · strong', score: 85, sections: [{ body: 'ok' }] }));
    expect(message?.blocks.map((block) => block.type)).toEqual(['header', 'section']);
    expect((message?.blocks[0] as types.HeaderBlock).text.text).toBe(':large_green_circle: Score: 85/100 · strong');
    const [info] = renderReply(reply({ kind: 'info', score: 85, sections: [{ body: 'Ada answered' }] }));
    expect(JSON.stringify(info?.blocks)).not.toContain('85/100');
  });

  it('GIVEN a question WHEN rendered for a message THEN "Answer in a form" is offered', () => {
    const [message] = renderReply(reply({ kind: 'question', sections: [{ body: 'What is AUC?' }], buttons: [{ action: 'hint', label: 'Hint' }] }), { offerAnswerForm: true });
    const actions = message?.blocks.find((block) => block.type === 'actions') as types.ActionsBlock;
    expect(actions.elements.map((element) => (element as types.Button).action_id)).toEqual(['hint', 'answer-form']);
  });

  it('GIVEN a reply quoting a 40 KB answer WHEN rendered THEN sections stay under 3000 chars and messages under 50 blocks', () => {
    const answer = 'My answer mentions <!channel> and <@U1>. '.repeat(1000);
    const messages = renderReply(reply({ kind: 'feedback', title: 'Feedback', sections: [{ heading: 'Your answer', body: `> ${answer}` }], buttons: [{ action: 'skip', label: 'Next' }] }));
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) {
      expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
      for (const text of sectionTexts(message.blocks)) expect(text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(JSON.stringify(message)).not.toContain('<!channel>');
    }
    expect(messages.at(-1)?.blocks.at(-1)?.type).toBe('actions');
    expect(messages.slice(0, -1).some((message) => message.blocks.some((block) => block.type === 'actions'))).toBe(false);
  });

  it('GIVEN 80 sections WHEN rendered THEN no message has more than 50 blocks', () => {
    const messages = renderReply(reply({ kind: 'summary', sections: Array.from({ length: 80 }, (_, index) => ({ body: `point ${index}` })) }));
    expect(messages.length).toBe(2);
    expect(messages.every((message) => message.blocks.length <= 50)).toBe(true);
  });

  it('GIVEN a progress reply with a chart WHEN rendered THEN the chart becomes a text line', () => {
    const [message] = renderReply(reply({ kind: 'progress', sections: [{ body: 'metrics: 62%' }], images: [{ path: '/tmp/chart.png', alt: 'Mastery per area' }] }));
    expect(JSON.stringify(message?.blocks)).toContain('Mastery per area');
    expect(JSON.stringify(message?.blocks)).not.toContain('/tmp/chart.png');
  });

  it('GIVEN replies WHEN rendered for the Home tab THEN progress and one start button per track are shown within 100 blocks', () => {
    const view = homeView([reply({ kind: 'progress', title: 'Your progress', sections: Array.from({ length: 150 }, (_, index) => ({ body: `area ${index}` })) })], ['metrics', 'mlops']);
    expect(view.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerView);
    const buttons = view.blocks.filter((block): block is types.ActionsBlock => block.type === 'actions').flatMap((block) => block.elements as types.Button[]);
    expect(buttons.map((button) => [button.action_id, button.value])).toEqual([
      ['start-interview:metrics', 'metrics'],
      ['start-interview:mlops', 'mlops'],
    ]);
  });

  it('GIVEN a conversation WHEN stored in modal metadata THEN it comes back unchanged', () => {
    const conversation = { channelId: 'C1', threadId: '1700000000.000001', isDirect: false };
    expect(decodeModalMetadata(encodeModalMetadata(conversation))).toEqual(conversation);
    expect(decodeModalMetadata('not json')).toBeUndefined();
  });
});

describe('Slack commands and configuration', () => {
  it('GIVEN slash command text WHEN converted THEN it is the engine grammar', () => {
    expect(slashCommandToText('')).toBe('help');
    expect(slashCommandToText('interview metrics')).toBe('interview metrics');
    expect(slashCommandToText('interview track:metrics level:hard questions:3')).toBe('interview metrics --level hard --questions 3');
    expect(slashCommandToText('ask what is precision:recall')).toBe('ask what is precision:recall');
    expect(slashCommandToText('progress')).toBe('progress');
  });

  it('GIVEN tokens WHEN choosing a mode THEN an app token means Socket Mode, a signing secret HTTP mode', () => {
    const socket = resolveSlackMode(configSchema.parse({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', SLACK_SIGNING_SECRET: 's' }));
    expect(socket.ok && socket.value.kind).toBe('socket');
    const http = resolveSlackMode(configSchema.parse({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PORT: '4000' }));
    expect(http.ok && http.value.kind === 'http' && http.value.port).toBe(4000);
  });

  it('GIVEN incomplete Slack settings WHEN choosing a mode THEN every problem is listed', () => {
    const missing = resolveSlackMode(configSchema.parse({ SLACK_APP_TOKEN: 'xoxb-wrong' }));
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.error.details).toHaveLength(2);
      expect(missing.error.message).toContain('SLACK_BOT_TOKEN');
      expect(missing.error.message).toContain('xapp-');
    }
  });

  it('GIVEN SLACK_API_URL without a trailing slash WHEN read THEN the client gets one', () => {
    expect(slackApiUrl(configSchema.parse({ SLACK_API_URL: 'https://slack-gov.com/api' }))).toBe('https://slack-gov.com/api/');
    expect(slackApiUrl(configSchema.parse({}))).toBeUndefined();
  });
});
