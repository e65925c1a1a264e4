import { describe, expect, it } from 'vitest';
import { renderForTerminal } from '../../src/adapters/terminal/render.js';
import { reply } from '../../src/core/model/message.js';

describe('terminal rendering', () => {
  it('GIVEN markup and code in a reply WHEN printed without colour THEN markup is removed and code stays intact', () => {
    const text = renderForTerminal(reply({ kind: 'answer', sections: [{ body: 'Use **broadcasting**: `(X**2).sum(1)` and keep snake_case_names; see _the note_.' }] }), false);
    expect(text).toContain('Use broadcasting: (X**2).sum(1) and keep snake_case_names; see the note.');
    expect(text).not.toContain('\u001b[');
  });
});
