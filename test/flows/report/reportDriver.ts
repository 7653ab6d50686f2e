/**
 * Drives the pure report machine as the runtime would, without a database: one event per turn, the snapshot
 * through JSON between turns, and commands answered in the same turn by fakes (personal data "sealed" as
 * base64 JSON, a fixed ticket code and receipt).
 */
import { createActor, type AnyMachineSnapshot } from 'xstate';
import type { FlowCommand, FlowEmitted } from '../../../flows/flow.ts';
import type { InboundEvent, OutboundMessage, UnstampedUserEvent } from '../../../flows/messages.ts';
import { applyPersonalOp, emptyPersonalData, personalDataSchema, type PersonalData } from '../../../flows/report/personalData.ts';
import { reportMachine } from '../../../flows/report/report.machine.ts';
import type { SubmitReportResult } from '../../../flows/report/reportCommands.ts';

export const fakeSeal = (data: PersonalData): string => Buffer.from(JSON.stringify(data)).toString('base64');
export const fakeOpen = (sealed: string | null): PersonalData =>
  sealed ? personalDataSchema.parse(JSON.parse(Buffer.from(sealed, 'base64').toString('utf8'))) : emptyPersonalData();

/** Answers the report flow's commands like the bot does, without I/O. */
export function fakeCommandResult(command: FlowCommand, submit: () => SubmitReportResult): unknown {
  switch (command.type) {
    case 'describeReportPolicy':
      return { draftDays: 7, retentionDays: 365 };
    case 'updatePersonal':
      return { sealed: fakeSeal(applyPersonalOp(fakeOpen(command.sealed as string | null), command.op as never)) };
    case 'openPersonal':
      return { personal: fakeOpen(command.sealed as string) };
    case 'submitReport':
      return submit();
    default:
      throw new Error(`unexpected command ${command.type}`);
  }
}

export const defaultSubmitResult: SubmitReportResult = {
  status: 'submitted',
  code: 'NTR-7K3P-9QXA',
  receipt: '1234567890123456',
  office: { code: '19.05', name: 'Bawaslu Kabupaten Bangka Barat' },
  recommendationBody: 'BKN',
};

export interface DriverTurn {
  replies: OutboundMessage[];
  commands: FlowCommand[];
  state: string;
  snapshot: AnyMachineSnapshot;
}

/** A report conversation on the pure machine. */
export class ReportDriver {
  private persisted: unknown;
  now = '2026-11-22T03:00:00.000Z';
  submit: () => SubmitReportResult = () => defaultSubmitResult;
  readonly allCommands: FlowCommand[] = [];

  constructor(at = '2026-11-22T03:00:00.000Z') {
    this.now = at;
    const actor = createActor(reportMachine, { input: { at, params: {} } });
    const first = this.collect(actor, () => actor.start());
    this.persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    this.first = first;
  }

  readonly first: DriverTurn;

  /** Sends one user event as one turn (restoring from JSON first, persisting after). */
  send(event: UnstampedUserEvent): DriverTurn {
    const actor = createActor(reportMachine, { snapshot: this.persisted as never, input: { at: this.now, params: {} } });
    const turn = this.collect(actor, () => {
      actor.start();
      actor.send({ ...event, at: this.now } as InboundEvent);
    });
    this.persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();
    return turn;
  }

  text(text: string): DriverTurn {
    return this.send({ type: 'user.sendText', text });
  }

  choose(value: string): DriverTurn {
    return this.send({ type: 'user.chooseOption', value });
  }

  /** Changes the stored context, as a draft saved by an earlier version of the flow may hold it. */
  patchStoredContext(patch: Record<string, unknown>): void {
    const stored = this.persisted as { context: Record<string, unknown> };
    this.persisted = { ...stored, context: { ...stored.context, ...patch } };
  }

  get snapshot(): { value: unknown; context: Record<string, unknown>; status: string } {
    return this.persisted as never;
  }

  private collect(actor: ReturnType<typeof createActor<typeof reportMachine>>, run: () => void): DriverTurn {
    const replies: OutboundMessage[] = [];
    const commands: FlowCommand[] = [];
    const pending: FlowCommand[] = [];
    actor.on('reply', (e: FlowEmitted) => {
      if (e.type === 'reply') replies.push(e.message);
    });
    actor.on('command', (e: FlowEmitted) => {
      if (e.type === 'command') pending.push(e.command);
    });
    run();
    while (pending.length > 0) {
      const command = pending.shift()!;
      commands.push(command);
      this.allCommands.push(command);
      const result = fakeCommandResult(command, this.submit);
      actor.send({ type: 'system.commandResult', at: this.now, command: command.type, result });
    }
    const snapshot = actor.getSnapshot();
    return { replies, commands, state: String(snapshot.value), snapshot };
  }
}

/** The i18n key of a message's text (for assertions). */
export function keyOf(message: OutboundMessage): string | undefined {
  return message.type === 'text' && 'key' in message.text ? message.text.key : undefined;
}

/** The keys of every reply in a turn. */
export function keysOf(turn: DriverTurn): string[] {
  return turn.replies.map((m) => keyOf(m) ?? '?');
}
