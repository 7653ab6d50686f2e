-- What a chat keeps of each flow between its runs (FlowDefinition.remember), by flow id.
ALTER TABLE "Chat" ADD COLUMN "memory" JSONB;
