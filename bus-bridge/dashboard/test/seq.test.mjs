// The page applies events in seq order whatever order the socket delivers them in (run: node --test test/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeqBuffer } from '../src/seq.js';

const ev = (seq, type = 'node.flipped') => ({ seq, type });

function recorder(holdMs = 50) {
  const applied = [];
  let gaps = 0;
  const buffer = new SeqBuffer((e) => applied.push(e.seq ?? e.type), () => gaps++, holdMs);
  return { buffer, applied, gaps: () => gaps };
}

test('events before the state wait for it; those the state covers are dropped', () => {
  const { buffer, applied } = recorder();
  buffer.offer(ev(9));
  buffer.offer(ev(11));
  buffer.offer(ev(10));
  assert.deepEqual(applied, []);
  buffer.start(9);
  assert.deepEqual(applied, [10, 11]);
});

test('out of order events are held until the hole fills, then applied in order', () => {
  const { buffer, applied, gaps } = recorder();
  buffer.start(100);
  buffer.offer(ev(103));
  buffer.offer(ev(102));
  assert.deepEqual(applied, []);
  buffer.offer(ev(101));
  assert.deepEqual(applied, [101, 102, 103]);
  buffer.offer(ev(102));
  assert.deepEqual(applied, [101, 102, 103], 'a repeat is applied once');
  assert.equal(gaps(), 0);
});

test('a hole that never fills asks for the state again', async () => {
  const { buffer, applied, gaps } = recorder(30);
  buffer.start(1);
  buffer.offer(ev(3));
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(gaps(), 1);
  assert.deepEqual(applied, []);
  buffer.reset();
});

test('events.gap passes straight through (the page re-reads its state)', () => {
  const { buffer, applied } = recorder();
  buffer.start(5);
  buffer.offer({ seq: 2, type: 'events.gap' });
  assert.deepEqual(applied, [2]);
});
