-- Included (\ir) by the proxy's deploy scripts: two session-local helpers that write the
-- proxy's functions, so each function is one call naming what differs. They live in
-- pg_temp and vanish with the deploy's session; the schema and the cluster are the Sqitch
-- variables, set by the including script as langgraph_proxy.schema / .cluster.

-- _px_<name>: LANGUAGE plproxy, the call of the partition's <target> where p_run says
-- (RUN ON ...), after SPLIT p_split when given. Internal: nobody but the owner runs it.
CREATE FUNCTION pg_temp.define_proxy(p_name text, p_args text, p_result text, p_run text,
                                     p_target text, p_split text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
AS $fn$
DECLARE
    s text := current_setting('langgraph_proxy.schema');
    v_proc regprocedure;
BEGIN
    EXECUTE format($f$
        CREATE FUNCTION %1$I.%2$I(%3$s) RETURNS %4$s
        LANGUAGE plproxy VOLATILE
        AS $b$
            CLUSTER %5$L;%6$s
            RUN ON %7$s;
            TARGET %8$s;
        $b$$f$,
        s, '_px_' || p_name, p_args, p_result, current_setting('langgraph_proxy.cluster'),
        CASE WHEN p_split IS NOT NULL THEN format(' SPLIT %s;', p_split) ELSE '' END,
        p_run, format('%I.%I', s, p_target));
    SELECT p.oid INTO v_proc FROM pg_catalog.pg_proc AS p
    WHERE p.pronamespace = s::regnamespace AND p.proname = '_px_' || p_name;
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_proc);
    EXECUTE format('COMMENT ON FUNCTION %s IS %L', v_proc, format(
        'Internal. PL/Proxy call of the partitions'' %s, RUN ON %s%s. Raises what the partition raises, XX000 (PL/Proxy).',
        p_target, p_run, CASE WHEN p_split IS NOT NULL THEN ', SPLIT ' || p_split ELSE '' END));
END
$fn$;

-- <name>: the API function, SECURITY DEFINER with the partition's signature. p_body runs
-- the _px_ functions; PL/Proxy's own failures (XX000) become LGP01 in one handler.
CREATE FUNCTION pg_temp.define_api(p_name text, p_args text, p_result text, p_volatility text,
                                   p_grantee text, p_body text, p_comment text,
                                   p_declare text DEFAULT '')
RETURNS void
LANGUAGE plpgsql
AS $fn$
DECLARE
    s text := current_setting('langgraph_proxy.schema');
    v_proc regprocedure;
BEGIN
    EXECUTE format($f$
        CREATE FUNCTION %1$I.%2$I(%3$s) RETURNS %4$s
        LANGUAGE plpgsql %5$s SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
        DECLARE
            v_message text;
            v_detail text;%7$s
        BEGIN
            %6$s
        EXCEPTION WHEN internal_error THEN
            GET STACKED DIAGNOSTICS v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
            PERFORM _raise_proxy_error(v_message, v_detail, %2$L);
        END
        $b$$f$, s, p_name, p_args, p_result, p_volatility, p_body, p_declare);
    SELECT p.oid INTO v_proc FROM pg_catalog.pg_proc AS p
    WHERE p.pronamespace = s::regnamespace AND p.proname = p_name;
    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', v_proc);
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', v_proc, s || '_' || p_grantee);
    EXECUTE format('COMMENT ON FUNCTION %s IS %L', v_proc, p_comment);
END
$fn$;
