/** Every flow the bot can run. A menu entry whose flow is missing here is answered with a polite "not yet". */
import type { FlowDefinition, FlowId } from './flow.ts';
import { learnFlow } from './learn/learn.machine.ts';
import { menuFlow } from './menu/menu.machine.ts';
import { quizFlow } from './quiz/quiz.machine.ts';
import { replyFlow } from './reply/reply.machine.ts';
import { reportFlow } from './report/report.machine.ts';
import { statusFlow } from './status/status.machine.ts';
import { verifyFlow } from './verify/verify.machine.ts';

export const allFlows: FlowDefinition[] = [menuFlow, quizFlow, learnFlow, verifyFlow, reportFlow, statusFlow, replyFlow];

/** The flows keyed by id. */
export function flowRegistry(flows: FlowDefinition[] = allFlows): Map<FlowId, FlowDefinition> {
  return new Map(flows.map((f) => [f.id, f]));
}
