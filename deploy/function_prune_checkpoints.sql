-- Deploy langgraph_checkpoint:function_prune_checkpoints to pg
-- requires: function__delete_checkpoints
-- requires: function__delta_chain
-- requires: function_delete_thread
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".prune_checkpoints(p_thread_ids text[], p_strategy text DEFAULT 'keep_latest')
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_deleted bigint := 0;
    v_thread_id text;
    v_latest record;
    v_keep text[];
BEGIN
    IF p_strategy IS NULL OR p_strategy NOT IN ('keep_latest', 'delete') THEN
        RAISE EXCEPTION 'unknown prune strategy %', coalesce(quote_literal(p_strategy), 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'Use ''keep_latest'' or ''delete''.';
    END IF;
    IF p_thread_ids IS NULL THEN
        RAISE EXCEPTION 'thread_ids must not be NULL'
            USING ERRCODE = 'LG003',
                  HINT = 'Pass ARRAY[''<thread id>''] or ''{}''.';
    END IF;
    FOREACH v_thread_id IN ARRAY p_thread_ids LOOP
        PERFORM _check_id(v_thread_id, 'thread_id');
    END LOOP;

    PERFORM FROM threads WHERE thread_id = ANY (p_thread_ids) ORDER BY thread_id FOR UPDATE;

    FOR v_thread_id IN SELECT DISTINCT t FROM unnest(p_thread_ids) AS t ORDER BY 1 LOOP
        IF p_strategy = 'delete' THEN
            v_deleted := v_deleted + delete_thread(v_thread_id);
            CONTINUE;
        END IF;
        -- keep_latest: the latest checkpoint of each namespace, plus the ancestors its
        -- DeltaChannels are rebuilt from (metadata.counters_since_delta_snapshot names
        -- them), so pruning never empties a delta channel.
        FOR v_latest IN
            SELECT DISTINCT ON (c.checkpoint_ns) c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id,
                   ARRAY(SELECT jsonb_object_keys(
                             CASE WHEN jsonb_typeof(c.metadata -> 'counters_since_delta_snapshot') = 'object'
                                  THEN c.metadata -> 'counters_since_delta_snapshot' ELSE '{}' END)) AS delta_channels
            FROM checkpoints AS c
            WHERE c.thread_id = v_thread_id
            ORDER BY c.checkpoint_ns, c.checkpoint_id DESC
        LOOP
            v_keep := ARRAY[v_latest.checkpoint_id]
                || ARRAY(SELECT d.checkpoint_id
                         FROM _delta_chain(v_thread_id, v_latest.checkpoint_ns, v_latest.parent_checkpoint_id,
                                           v_latest.delta_channels) AS d);
            v_deleted := v_deleted + _delete_checkpoints(
                v_thread_id, v_latest.checkpoint_ns,
                ARRAY(SELECT c.checkpoint_id FROM checkpoints AS c
                      WHERE c.thread_id = v_thread_id AND c.checkpoint_ns = v_latest.checkpoint_ns
                        AND c.checkpoint_id <> ALL (v_keep)));
        END LOOP;
    END LOOP;
    RETURN v_deleted;
END
$$;

REVOKE ALL ON FUNCTION :"schema".prune_checkpoints(text[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".prune_checkpoints(text[], text) TO :"client_role";

COMMENT ON FUNCTION :"schema".prune_checkpoints(text[], text) IS
$c$Prunes threads in one transaction and returns the number of checkpoints deleted.
Parameters: p_thread_ids, p_strategy: 'keep_latest' (default) keeps the latest checkpoint of each
namespace with its pending writes and values, plus the ancestors (and their writes) its
DeltaChannels are rebuilt from; every other checkpoint goes, and a kept checkpoint whose parent
goes becomes a root. 'delete' deletes the threads.
Raises LG001 (empty or over-long id), LG003 (unknown strategy, NULL array).$c$;

COMMIT;
