-- Revert langgraph_checkpoint:function_list_branches from pg: the v1.0.0 body
-- requires: function__ancestors
\set reader_role :schema '_reader'

BEGIN;

CREATE OR REPLACE FUNCTION :"schema".list_branches(p_thread_id text, p_checkpoint_ns text DEFAULT '')
RETURNS TABLE (
    head_checkpoint_id text,
    branch_point_id    text,
    length             integer,
    is_latest          boolean,
    metadata           jsonb,
    created_at         timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    -- A head is a checkpoint nothing continues from. From each head, walk up until a
    -- checkpoint with more than one child (where the branch split off) or the root;
    -- length counts the checkpoints on the branch below that point.
    RETURN QUERY
        WITH RECURSIVE heads AS (
            SELECT c.checkpoint_id, c.parent_checkpoint_id, c.metadata, c.created_at
            FROM checkpoints AS c
            WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
              AND NOT EXISTS (
                  SELECT FROM checkpoints AS k
                  WHERE k.thread_id = p_thread_id AND k.checkpoint_ns = p_checkpoint_ns
                    AND k.parent_checkpoint_id = c.checkpoint_id)
        ), walk AS (
            SELECT h.checkpoint_id AS head, h.parent_checkpoint_id AS next_id, 1 AS length, false AS done
            FROM heads AS h
          UNION ALL
            SELECT w.head, p.parent_checkpoint_id, w.length + 1, false
            FROM walk AS w
            JOIN checkpoints AS p
              ON p.thread_id = p_thread_id AND p.checkpoint_ns = p_checkpoint_ns
             AND p.checkpoint_id = w.next_id
            WHERE (SELECT count(*) FROM checkpoints AS k
                   WHERE k.thread_id = p_thread_id AND k.checkpoint_ns = p_checkpoint_ns
                     AND k.parent_checkpoint_id = p.checkpoint_id) < 2
        ), ends AS (
            SELECT DISTINCT ON (w.head) w.head, w.next_id, w.length
            FROM walk AS w
            ORDER BY w.head, w.length DESC
        )
        SELECT h.checkpoint_id::text, e.next_id::text, e.length,
               h.checkpoint_id = (SELECT max(c.checkpoint_id) FROM checkpoints AS c
                                  WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns),
               h.metadata, h.created_at
        FROM heads AS h
        JOIN ends AS e ON e.head = h.checkpoint_id
        ORDER BY h.checkpoint_id DESC;
END
$$;

REVOKE ALL ON FUNCTION :"schema".list_branches(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".list_branches(text, text) TO :"reader_role";

COMMENT ON FUNCTION :"schema".list_branches(text, text) IS
$c$Returns the heads (leaves) of every branch of a thread's namespace, newest first:
head_checkpoint_id; branch_point_id, the checkpoint the branch split off from (NULL when the
branch reaches the root without splitting); length, the checkpoints on the branch below that
point; is_latest, true for the head get_checkpoint loads; the head's metadata and created_at.
Parameters: p_thread_id, p_checkpoint_ns (default '').
Raises LG001 (empty or over-long id).$c$;

COMMIT;
