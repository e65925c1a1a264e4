import { reply, type Conversation, type IncomingMessage, type Reply } from '../../../src/core/model/message.js';
import type { Engine } from '../../../src/core/ports/engine.js';

interface Session {
  id: string;
  userId: string;
  index: number;
  conversation: Conversation;
}

export interface GradedAnswer {
  userId: string;
  sessionId: string;
  question: string;
  answer: string;
  score: number;
}

const QUESTIONS = ['What does precision measure?', 'When would you prefer recall over precision?'];

function sameConversation(a: Conversation, b: Conversation): boolean {
  return a.channelId === b.channelId && a.threadId === b.threadId;
}

/**
 * A tiny stand-in for the engine port, for the adapter's own tests: a two-question interview that
 * opens a thread, grades by answer length, stores each grade before replying (as the real engine
 * does), and a few commands (`help`, `ask`, `progress`).
 */
export class ScriptedEngine implements Engine {
  readonly received: IncomingMessage[] = [];
  readonly attached: { sessionRef: string; conversation: Conversation }[] = [];
  readonly graded: GradedAnswer[] = [];
  /** Milliseconds to think before answering, by command word or action id (e.g. `{ ask: 2000 }`). */
  delays: Record<string, number> = {};
  /** The model answer shown (collapsed) in feedback. */
  modelAnswer = 'Precision is TP / (TP + FP): of the items flagged positive, how many are.';
  private readonly sessions = new Map<string, Session>();
  private nextId = 1;

  async handle(message: IncomingMessage): Promise<Reply[]> {
    this.received.push(message);
    const word = message.action?.id ?? message.text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    const delay = this.delays[word] ?? 0;
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const session = this.sessions.get(message.userId);
    const inSession = session && sameConversation(session.conversation, message.conversation) ? session : undefined;

    if (message.action) {
      if (!inSession) return [reply({ kind: 'error', private: true, sections: [{ body: 'There is no interview running here.' }] })];
      switch (message.action.id) {
        case 'hint':
          return [reply({ kind: 'info', sections: [{ heading: 'Hint', body: 'Think about false positives.' }], sessionRef: inSession.id })];
        case 'skip':
          return this.advance(inSession, []);
        case 'end':
          return [this.finish(inSession)];
        case 'submit-answer':
          return this.grade(inSession, message.action.value ?? '');
        default:
          return [];
      }
    }
    switch (word) {
      case 'interview':
        return this.start(message);
      case 'help':
        return [reply({ kind: 'info', private: true, title: 'What I can do', sections: [{ body: '- `interview [track]`\n- `ask <question>`' }] })];
      case 'progress':
        return [reply({ kind: 'progress', private: true, title: 'Your progress', sections: [{ heading: 'Answers graded', body: String(this.graded.filter((g) => g.userId === message.userId).length) }] })];
      case 'quiz':
        return [reply({ kind: 'info', private: true, sections: [{ body: 'There is no quiz scheduled in this channel.' }] })];
      case 'ask':
        return [reply({ kind: 'answer', title: 'Answer', sections: [{ heading: 'You asked', body: `> ${message.text.slice(4)}` }, { body: 'Calibration means predicted probabilities match observed frequencies.' }] })];
      default:
        if (inSession) return this.grade(inSession, message.text);
        return [reply({ kind: 'info', sections: [{ body: `I did not understand "${message.text}". Try \`help\`.` }] })];
    }
  }

  async attachThread(sessionRef: string, conversation: Conversation): Promise<void> {
    this.attached.push({ sessionRef, conversation });
    for (const session of this.sessions.values()) if (session.id === sessionRef) session.conversation = conversation;
  }

  private start(message: IncomingMessage): Reply[] {
    const session: Session = { id: `s${this.nextId++}`, userId: message.userId, index: 0, conversation: message.conversation };
    this.sessions.set(message.userId, session);
    const track = message.text.split(/\s+/)[1] ?? 'general';
    return [this.question(session, { name: `Mock interview: ${track}` })];
  }

  private question(session: Session, openThread?: { name: string }): Reply {
    return reply({
      kind: 'question',
      title: `Question ${session.index + 1}/${QUESTIONS.length}`,
      sections: [{ body: QUESTIONS[session.index] ?? '' }],
      buttons: [
        { action: 'hint', label: 'Hint', value: session.id },
        { action: 'skip', label: 'Skip', value: session.id },
        { action: 'end', label: 'End', value: session.id, style: 'danger' },
        { action: 'answer-form', label: 'Answer in a form', value: session.id, style: 'primary' },
      ],
      sessionRef: session.id,
      ...(openThread ? { openThread } : {}),
    });
  }

  private grade(session: Session, answer: string): Reply[] {
    const score = Math.min(100, 40 + answer.length);
    this.graded.push({ userId: session.userId, sessionId: session.id, question: QUESTIONS[session.index] ?? '', answer, score });
    const feedback = reply({
      kind: 'feedback',
      title: `Feedback on question ${session.index + 1}`,
      score,
      sessionRef: session.id,
      sections: [
        { heading: 'Your answer', body: `> ${answer}` },
        { heading: 'Covered', body: '- true positives' },
        { heading: 'Missed', body: '- false positives in the denominator' },
        { heading: 'Model answer', body: this.modelAnswer, collapsed: true },
      ],
    });
    return this.advance(session, [feedback]);
  }

  private advance(session: Session, before: Reply[]): Reply[] {
    session.index += 1;
    if (session.index >= QUESTIONS.length) return [...before, this.finish(session)];
    return [...before, this.question(session)];
  }

  private finish(session: Session): Reply {
    this.sessions.delete(session.userId);
    const scores = this.graded.filter((graded) => graded.sessionId === session.id).map((graded) => graded.score);
    return reply({ kind: 'summary', title: 'Interview summary', sessionRef: session.id, sections: [{ heading: 'Scores', body: scores.join(', ') || 'none' }] });
  }
}
