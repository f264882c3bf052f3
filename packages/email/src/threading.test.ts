import { describe, expect, it } from 'vitest';
import { threadHeaders, threadMessageId } from './threading.js';

describe('threadMessageId', () => {
  it('is stable for a key and From domain, and differs between keys and domains', () => {
    const id = threadMessageId('alrt_1', 'alerts@PyTake.com');
    expect(id).toMatch(/^<thread-[0-9a-f]{32}@pytake\.com>$/);
    expect(threadMessageId('alrt_1', 'other@pytake.com')).toBe(id);
    expect(threadMessageId('alrt_2', 'alerts@pytake.com')).not.toBe(id);
    expect(threadMessageId('alrt_1', 'alerts@acme.test')).not.toBe(id);
    expect(id).not.toContain('alrt_1');
  });
});

describe('threadHeaders', () => {
  const from = 'alerts@pytake.com';

  it('gives the opening message its own Message-ID and a reference to the thread root', () => {
    const root = threadMessageId('k', from);
    const opening = threadHeaders({ threadKey: 'k', threadRoot: true }, from, 'org:a:created:1');
    expect(opening).toEqual({
      messageId: expect.stringMatching(/^<[0-9a-f]{32}@pytake\.com>$/),
      references: root,
    });
    expect(opening.messageId).not.toBe(root);
  });

  it('never gives two different opening messages of one thread the same Message-ID', () => {
    // A re-created alert: two "created" notifications, two idempotency keys, one thread.
    const first = threadHeaders({ threadKey: 'k', threadRoot: true }, from, 'org:a:alert.created:1');
    const second = threadHeaders({ threadKey: 'k', threadRoot: true }, from, 'org:a:alert.created:2');
    expect(first.messageId).not.toBe(second.messageId);
    expect(first.references).toBe(second.references);
    const unkeyed = threadHeaders({ threadKey: 'k', threadRoot: true }, from);
    expect(threadHeaders({ threadKey: 'k', threadRoot: true }, from).messageId).not.toBe(unkeyed.messageId);
  });

  it('makes later messages reply to the root', () => {
    const root = threadMessageId('k', from);
    const later = threadHeaders({ threadKey: 'k' }, from);
    expect(later).toEqual({
      messageId: expect.stringMatching(/^<.+@pytake\.com>$/),
      inReplyTo: root,
      references: root,
    });
    expect(later.messageId).not.toBe(root);
  });

  it('leaves a message without a key unthreaded, with a fresh Message-ID each time', () => {
    const a = threadHeaders({}, from);
    expect(a).toEqual({ messageId: expect.stringMatching(/@pytake\.com>$/) });
    expect(threadHeaders({}, from).messageId).not.toBe(a.messageId);
  });

  it('derives the Message-ID from the idempotency key, so a redelivery carries the same one', () => {
    expect(threadHeaders({ threadKey: 'k' }, from, 'org:a:created').messageId).toBe(
      threadHeaders({ threadKey: 'k' }, from, 'org:a:created').messageId,
    );
    expect(threadHeaders({}, from, 'one').messageId).not.toBe(threadHeaders({}, from, 'two').messageId);
  });
});
