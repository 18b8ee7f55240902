-- Deploy langgraph_checkpoint:table_checkpoint_writes to pg
-- requires: table_threads

BEGIN;

-- Pending writes of the tasks of the superstep that follows checkpoint_id. There is
-- no foreign key to checkpoints on purpose: with LangGraph's async durability a
-- task's writes can commit before the checkpoint they belong to.
CREATE TABLE :"schema".checkpoint_writes (
    thread_id     text COLLATE "C" NOT NULL,
    checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
    checkpoint_id text COLLATE "C" NOT NULL,
    task_id       text COLLATE "C" NOT NULL,
    idx           integer          NOT NULL,
    channel       text COLLATE "C" NOT NULL,
    type          text             NOT NULL,
    value         jsonb,
    blob          bytea,
    task_path     text COLLATE "C" NOT NULL DEFAULT '',
    created_at    timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT checkpoint_writes_pkey PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx),
    CONSTRAINT checkpoint_writes_thread_fkey FOREIGN KEY (thread_id)
        REFERENCES :"schema".threads (thread_id) ON DELETE CASCADE,
    CONSTRAINT checkpoint_writes_payload CHECK (
        CASE type
            WHEN 'json'  THEN value IS NOT NULL AND blob IS NULL
            WHEN 'empty' THEN value IS NULL AND blob IS NULL
            ELSE value IS NULL AND blob IS NOT NULL
        END)
);

COMMENT ON TABLE :"schema".checkpoint_writes IS
  'Pending writes per (thread, namespace, checkpoint, task_id, idx). LangGraph''s special writes (__error__, __scheduled__, __interrupt__, __resume__) use idx -1..-4 and replace on retry.';

COMMIT;
