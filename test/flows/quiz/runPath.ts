/**
 * Runs a path from `createTestModel` against a real actor the way the runtime does: each step restores the actor
 * from the previous step's persisted snapshot after a JSON round-trip, sends the one event, and collects what the
 * machine emitted. The caller checks each step.
 */
import { createActor, type AnyStateMachine, type StateValue } from 'xstate';
import type { z } from 'zod';
import { expect } from 'vitest';
import type { FlowCommand, FlowEmitted, FlowInput } from '../../../flows/flow.ts';
import type { InboundEvent, OutboundMessage, TextParams, TextRef } from '../../../flows/messages.ts';
import { lookupText } from '../../../flows/shared/texts.ts';

/** What one step did. */
export interface StepRecord {
  event: InboundEvent;
  before: StateValue;
  after: StateValue;
  status: string;
  output: unknown;
  replies: OutboundMessage[];
  commands: FlowCommand[];
  context: unknown;
}

/** A path's steps as the model generated them. */
export interface ModelPath {
  steps: ReadonlyArray<{ event: InboundEvent; state: { value: StateValue } }>;
}

/** The first key of a text, for assertions (`quiz.question`), or undefined for content and literals. */
export function keyOf(message: OutboundMessage | undefined): string | undefined {
  if (!message) return undefined;
  const ref = message.type === 'text' ? message.text : message.caption;
  return ref && 'key' in ref ? ref.key : undefined;
}

/** The question a step asked (the last `ask`), if any. */
export function askedIn(record: StepRecord): OutboundMessage | undefined {
  return [...record.replies].reverse().find((m) => m.type === 'text' && m.prompt);
}

function expectKeyInBothLocales(key: string, where: string): void {
  for (const locale of ['id', 'en'] as const) expect(lookupText(key, locale), `${key} (${locale}) ${where}`).toBeTypeOf('string');
}

function checkRef(ref: TextRef | undefined, where: string): void {
  if (!ref || !('key' in ref)) return;
  expectKeyInBothLocales(ref.key, where);
  for (const value of Object.values(ref.params ?? ({} as TextParams))) {
    if (typeof value === 'object' && 'key' in value) expectKeyInBothLocales(value.key, where);
  }
}

/** Fails when a message names a text that is missing in either locale. */
export function expectTextsExist(messages: readonly OutboundMessage[], where: string): void {
  for (const message of messages) {
    if (message.type === 'text') {
      checkRef(message.text, where);
      for (const c of message.choices ?? []) checkRef(c.label, where);
    } else {
      checkRef(message.caption, where);
    }
  }
}

/** Plays a path, restoring from JSON before every step; returns one record per step. */
export function runPath(
  machine: AnyStateMachine,
  input: FlowInput,
  contextSchema: z.ZodType,
  path: ModelPath,
): { initial: StepRecord; steps: StepRecord[] } {
  let replies: OutboundMessage[] = [];
  let commands: FlowCommand[] = [];
  const listen = (actor: ReturnType<typeof createActor>) => {
    actor.on('reply', (e: FlowEmitted) => void (e.type === 'reply' && replies.push(e.message)));
    actor.on('command', (e: FlowEmitted) => void (e.type === 'command' && commands.push(e.command)));
  };
  const first = createActor(machine, { input });
  listen(first);
  first.start();
  const initialSnapshot = first.getSnapshot();
  const initial: StepRecord = {
    event: { type: 'user.askHelp', at: input.at },
    before: initialSnapshot.value,
    after: initialSnapshot.value,
    status: initialSnapshot.status,
    output: initialSnapshot.output,
    replies,
    commands,
    context: initialSnapshot.context,
  };
  let stored: unknown = JSON.parse(JSON.stringify(first.getPersistedSnapshot()));
  first.stop();
  const steps: StepRecord[] = [];
  for (const step of path.steps) {
    // Paths start with the machine's own init event, which the runtime never sends.
    if ((step.event.type as string) === 'xstate.init') continue;
    const snapshot = stored as { value: StateValue; context: unknown; status: string };
    expect(contextSchema.safeParse(snapshot.context).success, 'the stored context parses').toBe(true);
    replies = [];
    commands = [];
    const actor = createActor(machine, { snapshot: stored as never, input });
    listen(actor);
    actor.start();
    actor.send(step.event);
    const after = actor.getSnapshot();
    expect(after.value, `state after ${step.event.type}`).toEqual(step.state.value);
    expectTextsExist(replies, `after ${step.event.type} in ${JSON.stringify(snapshot.value)}`);
    steps.push({
      event: step.event,
      before: snapshot.value,
      after: after.value,
      status: after.status,
      output: after.output,
      replies,
      commands,
      context: after.context,
    });
    stored = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
  }
  return { initial, steps };
}
