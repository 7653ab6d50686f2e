/** Every flow the bot can run. A menu entry whose flow is missing here is answered with a polite "not yet". */
import type { FlowDefinition, FlowId } from './flow.ts';
import { menuFlow } from './menu/menu.machine.ts';

export const allFlows: FlowDefinition[] = [menuFlow];

/** The flows keyed by id. */
export function flowRegistry(flows: FlowDefinition[] = allFlows): Map<FlowId, FlowDefinition> {
  return new Map(flows.map((f) => [f.id, f]));
}
