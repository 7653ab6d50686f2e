/**
 * What every flow is: a pure XState machine plus what the runtime needs to restore it safely. Flows talk to the
 * runtime only through what they emit (`reply`, `command`) and through their final output (`next` flow).
 */
import type { AnyStateMachine } from 'xstate';
import type { z } from 'zod';
import type { OutboundMessage } from './messages.ts';

export const flowIds = ['menu', 'report', 'status', 'quiz', 'learn', 'verify', 'officer', 'reply'] as const;
/** The flows a chat can be in. */
export type FlowId = (typeof flowIds)[number];

/**
 * A request for the runtime to do something with I/O, randomness or the clock. The handler's result comes back
 * to the flow in the same turn as a `system.commandResult` event with the same `command` name.
 */
export interface FlowCommand {
  type: string;
  [field: string]: unknown;
}

/** Events a flow emits. */
export type FlowEmitted = { type: 'reply'; message: OutboundMessage } | { type: 'command'; command: FlowCommand };

/** Input every flow is started with. */
export interface FlowInput {
  /** ISO instant the flow started (flows have no clock). */
  at: string;
  /** Flow-specific parameters, e.g. `{ greet: true }` for the menu or a deep-link payload. */
  params: Record<string, unknown>;
  /** What the chat kept of this flow's last run (see `FlowDefinition.remember`); absent when nothing was kept. */
  remembered?: unknown;
}

/** Output of a finished flow: which flow comes next (the menu when absent). */
export interface FlowOutput {
  next?: { flow: FlowId; params?: Record<string, unknown> };
}

/** A flow as the runtime knows it. */
export interface FlowDefinition {
  id: FlowId;
  /** Bump when a stored snapshot of the previous version can no longer be restored. */
  version: number;
  machine: AnyStateMachine;
  /** Parses a stored snapshot's context; a snapshot that fails restarts the user at the menu politely. */
  contextSchema: z.ZodType;
  /**
   * True when leaving the flow now would lose the user's work (a half-written report, answered quiz questions):
   * another flow's command then asks for confirmation first. Absent: leave without asking.
   */
  hasUnsavedWork?: (snapshot: { value: unknown; context: unknown }) => boolean;
  /**
   * True when even an explicit cancel (`/batal`) should ask first: leaving would throw away finished work (a report
   * complete enough to review). Absent: a cancel leaves at once.
   */
  confirmsCancel?: (snapshot: { value: unknown; context: unknown }) => boolean;
  /**
   * The question asked before leaving (`switch`: another command; `cancel`: `/batal`) for `target`, the flow the
   * command starts, when this flow's own words say better what happens: a pass whose certificate is not issued yet
   * would be lost, a topic quiz gives way to the full quiz. Absent or undefined: the common question.
   */
  leaveQuestion?: (
    snapshot: { value: unknown; context: unknown },
    why: 'switch' | 'cancel',
    target: { flow: FlowId; params: Record<string, unknown> },
  ) => LeaveQuestion | undefined;
  /**
   * What the chat keeps of this flow once it is left (small JSON, nothing personal): read from its snapshot at every
   * save while it runs and as it stops, and given back as `input.remembered` the next time it starts (the lessons keep
   * where the reader stopped). Absent: nothing is kept.
   */
  remember?: (snapshot: { value: unknown; context: unknown }) => unknown;
  /**
   * Left for another flow while it has unsaved work (the user answered "yes, leave" to another command), the flow's
   * snapshot and question are kept in the chat's memory, and the next time it starts it goes on from there instead of
   * the beginning; the menu meanwhile says it is kept. `kept`, `resumed` and `waiting` are the texts that say so as it
   * is left, as it goes on, and at the menu. A cancel or a restart of the same flow keeps nothing. Absent: leaving loses
   * the work (the leave question says so).
   */
  keepsDraft?: { kept: string; resumed: string; waiting: string };
  /**
   * The part of a command's arguments for this flow (`/kuis sanksi`) that may ride in the value of the leave question's
   * button when the runtime asks before starting it: short (at most 32 characters) and free of personal data, such as a
   * topic's id or a code, never a receipt. Absent or undefined: the flow starts without arguments after "yes".
   */
  carriedArgs?: (params: Record<string, unknown>) => string | undefined;
}

/** A flow's own leave question: its text key and, for a switch, the label of the button that leaves (default "Ya, tinggalkan"). */
export interface LeaveQuestion {
  key: string;
  /** The text's parameters beside `flow` (the flow's name), such as how many days a kept draft is kept. */
  params?: Record<string, string | number>;
  yes?: string;
}
