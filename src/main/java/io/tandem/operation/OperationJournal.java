package io.tandem.operation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.tandem.instances.ConsoleInstance;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.tandem.console.Rejected;
import io.tandem.operation.OperationView.Status;
import io.tandem.operation.OperationView.StepStatus;
import io.tandem.operation.OperationView.StepView;

/**
 * The operations' journal in PostgreSQL. Every write commits on its own, so what a reader (or a console started after
 * a crash) sees is what had happened on the nodes up to that moment.
 */
@Component
class OperationJournal {

    private static final int MAX_TEXT = 2000;
    private static final int MAX_ADVICE = 1000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    private final ConsoleInstance console;

    OperationJournal(JdbcTemplate jdbc, Clock clock, ConsoleInstance console) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.console = console;
    }

    /** Records a new running operation with its steps pending; refuses a second running one on the same pair. */
    @Transactional
    public UUID open(UUID clusterId, OperationKind kind, String node, String user, List<String> steps) {
        return open(clusterId, kind, node, user, steps, java.util.Collections.nCopies(steps.size(), null));
    }

    /** As {@link #open}, with each step's advice for an operator who finds the operation interrupted there. */
    @Transactional
    public UUID open(UUID clusterId, OperationKind kind, String node, String user, List<String> steps, List<String> ifInterrupted) {
        UUID id = UUID.randomUUID();
        try {
            jdbc.update("insert into operation (id, cluster_id, kind, node, status, requested_by, created_at, instance_id) values (?, ?, ?, ?, 'RUNNING', ?, ?, ?)",
                    id, clusterId, kind.name(), node, user, now(), console.id());
        } catch (DuplicateKeyException e) {
            throw Rejected.conflict("operation-running", null,
                    "Another operation is running on this pair; wait for it to finish (see the pair's operations).");
        }
        for (int i = 0; i < steps.size(); i++) {
            jdbc.update("insert into operation_step (operation_id, position, name, status, if_interrupted) values (?, ?, ?, 'PENDING', ?)",
                    id, i, clip(steps.get(i)), clip(ifInterrupted.get(i), MAX_ADVICE));
        }
        return id;
    }

    /** Records an operation with its steps, the clean-up steps marked with their fix. */
    @Transactional
    public UUID openSteps(UUID clusterId, OperationKind kind, String node, String user, List<Step> steps) {
        UUID id = open(clusterId, kind, node, user, steps.stream().map(Step::name).toList(),
                steps.stream().map(Step::ifInterrupted).toList());
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.cleanup()) {
                jdbc.update("update operation_step set cleanup = true, fix_kind = ?, fix_subject = ? where operation_id = ? and position = ?",
                        step.fix().kind().name(), step.fix().subject(), id, i);
            }
        }
        return id;
    }

    /**
     * Marks the step running, provided the operation is still this console's to drive.
     *
     * @return false when it is not: another console found this one gone and marked the operation INTERRUPTED (this
     *         console was cut off from the database for longer than a lease), or it was never this console's
     */
    public boolean stepStarted(UUID id, int position) {
        return jdbc.update("""
                update operation_step set status = 'RUNNING', started_at = ? where operation_id = ? and position = ?
                and exists (select 1 from operation where id = ? and status = 'RUNNING' and instance_id = ?)""",
                now(), id, position, id, console.id()) == 1;
    }

    public void stepEnded(UUID id, int position, StepStatus status, String detail) {
        jdbc.update("update operation_step set status = ?, finished_at = ?, detail = ? where operation_id = ? and position = ?",
                status.name(), now(), clip(detail), id, position);
    }

    /**
     * Ends the operation; steps that never ran are marked skipped so the journal has no open ends. An operation that
     * already ended (marked INTERRUPTED by another console meanwhile) keeps that ending and what it says.
     */
    @Transactional
    public void finish(UUID id, Status status, String summary) {
        if (jdbc.update("update operation set status = ?, finished_at = ?, summary = ? where id = ? and status = 'RUNNING'",
                status.name(), now(), clip(summary), id) == 1) {
            jdbc.update("update operation_step set status = 'SKIPPED' where operation_id = ? and status = 'PENDING'", id);
        }
    }

    /**
     * Operations left RUNNING by a console that stopped: nobody drives them any more. They are marked INTERRUPTED
     * with the step that was running, so the operator knows exactly what to check on the node. Consoles sharing the
     * database leave each other's alone while the other is alive (it renews its heartbeat); a row already being
     * marked by another console is skipped, so each is marked once.
     */
    @Transactional
    public int interruptLeftovers() {
        List<UUID> ids = console.shared()
                ? jdbc.queryForList("""
                        select id from operation where status = 'RUNNING'
                        and (instance_id is null or instance_id not in (select id from console_instance))
                        for update skip locked""", UUID.class)
                : jdbc.queryForList("select id from operation where status = 'RUNNING'", UUID.class);
        for (UUID id : ids) {
            List<String[]> running = jdbc.query("select name, if_interrupted from operation_step where operation_id = ? and status = 'RUNNING'",
                    (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, id);
            String step = running.isEmpty() ? null : running.get(0)[0];
            String next = running.isEmpty() || running.get(0)[1] == null ? "Check the node before retrying." : "Next: " + running.get(0)[1];
            jdbc.update("update operation_step set status = 'FAILED', finished_at = ?, detail = ? where operation_id = ? and status = 'RUNNING'",
                    now(), clip("The console stopped during this step. " + next), id);
            // a clean-up that never ran is a failed one: the pair shows it with its fix until someone runs it
            jdbc.update("update operation_step set status = 'FAILED', finished_at = ?, detail = 'The console stopped before "
                    + "this clean-up ran; run it now.' where operation_id = ? and status = 'PENDING' and cleanup", now(), id);
            finish(id, Status.INTERRUPTED, step == null ? "The console stopped between steps; see the steps done before retrying."
                    : "The console stopped during \"" + step + "\". " + next);
        }
        return ids.size();
    }

    /** A running operation on a pair: its kind and the node it acts on. */
    record Running(UUID clusterId, UUID operationId, OperationKind kind, String node) {
    }

    /** Every RUNNING operation, on whichever console. */
    public List<Running> running() {
        return jdbc.query("select cluster_id, id, kind, node from operation where status = 'RUNNING'",
                (rs, i) -> new Running(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), OperationKind.valueOf(rs.getString(3)),
                        rs.getString(4)));
    }

    /** A clean-up that failed (or never ran) and has not been repaired since, with the operation that repairs it. */
    record FailedCleanup(UUID clusterId, UUID operationId, OperationKind operationKind, Instant at, String step,
                         String detail, Step.Fix fix) {
    }

    /**
     * Failed clean-ups not repaired since: repaired means a later operation on the pair of the fix's kind and subject
     * succeeded, or a later clean-up with the same fix did its work.
     */
    public List<FailedCleanup> unrepairedCleanups() {
        return jdbc.query("""
                select o.cluster_id, o.id, o.kind, coalesce(s.finished_at, o.created_at), s.name, s.detail, s.fix_kind, s.fix_subject
                from operation_step s join operation o on o.id = s.operation_id
                where s.cleanup and s.status = 'FAILED'
                  and not exists (select 1 from operation later where later.cluster_id = o.cluster_id
                      and later.created_at > o.created_at and later.status = 'SUCCEEDED'
                      and later.kind = s.fix_kind and later.node = s.fix_subject)
                  and not exists (select 1 from operation_step ls join operation lo on lo.id = ls.operation_id
                      where lo.cluster_id = o.cluster_id and lo.created_at > o.created_at and ls.cleanup
                      and ls.status = 'DONE' and ls.fix_kind = s.fix_kind and ls.fix_subject = s.fix_subject)
                order by o.created_at""", (rs, i) -> new FailedCleanup(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                OperationKind.valueOf(rs.getString(3)), instant(rs, 4), rs.getString(5), rs.getString(6),
                new Step.Fix(OperationKind.valueOf(rs.getString(7)), rs.getString(8))));
    }

    public Optional<OperationView> find(UUID id) {
        return withSteps(jdbc.query(SELECT + " where id = ?", OperationJournal::operation, id)).stream().findFirst();
    }

    public List<OperationView> recent(UUID clusterId, int limit) {
        return withSteps(jdbc.query(SELECT + " where cluster_id = ? order by created_at desc limit ?",
                OperationJournal::operation, clusterId, limit));
    }

    private static final String SELECT =
            "select id, cluster_id, kind, node, status, requested_by, created_at, finished_at, summary from operation";

    private static OperationView operation(ResultSet rs, int row) throws SQLException {
        return new OperationView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), OperationKind.valueOf(rs.getString(3)),
                rs.getString(4), Status.valueOf(rs.getString(5)), rs.getString(6), instant(rs, 7), instant(rs, 8),
                rs.getString(9), List.of());
    }

    /** The steps of all the given operations in one query, not one per operation. */
    private List<OperationView> withSteps(List<OperationView> operations) {
        if (operations.isEmpty()) {
            return operations;
        }
        java.util.Map<UUID, List<StepView>> steps = new java.util.HashMap<>();
        jdbc.query("""
                        select operation_id, position, name, status, started_at, finished_at, detail from operation_step
                        where operation_id = any(?) order by operation_id, position""",
                (org.springframework.jdbc.core.RowCallbackHandler) rs -> steps
                        .computeIfAbsent(rs.getObject(1, UUID.class), k -> new java.util.ArrayList<>())
                        .add(new StepView(rs.getInt(2), rs.getString(3), StepStatus.valueOf(rs.getString(4)), instant(rs, 5),
                                instant(rs, 6), rs.getString(7))),
                (Object) operations.stream().map(OperationView::id).toArray(UUID[]::new));
        return operations.stream().map(o -> new OperationView(o.id(), o.clusterId(), o.kind(), o.node(), o.status(),
                o.requestedBy(), o.createdAt(), o.finishedAt(), o.summary(), steps.getOrDefault(o.id(), List.of()))).toList();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static String clip(String text) {
        return clip(text, MAX_TEXT);
    }

    private static String clip(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
