package io.unbreakable.payments.batch.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A PostgreSQL session advisory lock held on its own connection for as long as a job (or a remote
 * worker's partition) runs. The database releases it when the session ends, however the process ended,
 * so "free" means "nobody alive runs this job and date" (or "this partition").
 */
public final class LivenessLock implements AutoCloseable {

    /** Namespace of this project's advisory locks (first key of the two-key form). */
    private static final int NAMESPACE = 0x5550; // "UP"

    private final Connection connection;
    private final String name;

    private LivenessLock(Connection connection, String name) {
        this.connection = connection;
        this.name = name;
    }

    /** The lock, or null when a live process holds it. */
    public static LivenessLock tryAcquire(DataSource dataSource, String name) throws SQLException {
        Connection connection = dataSource.getConnection();
        try (PreparedStatement statement = connection.prepareStatement("select pg_try_advisory_lock(?, hashtext(?))")) {
            statement.setInt(1, NAMESPACE);
            statement.setString(2, name);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                if (result.getBoolean(1)) {
                    return new LivenessLock(connection, name);
                }
            }
        }
        connection.close();
        return null;
    }

    /** With the liveness lock held, a ShedLock lock still in force for the name can only be a dead run's. */
    int releaseLocksOfDeadHolders() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "update shedlock set lock_until = now() where name = ? and lock_until > now()")) {
            statement.setString(1, name);
            return statement.executeUpdate();
        }
    }

    @Override
    public void close() throws SQLException {
        try (connection; PreparedStatement statement = connection.prepareStatement("select pg_advisory_unlock(?, hashtext(?))")) {
            statement.setInt(1, NAMESPACE);
            statement.setString(2, name);
            statement.execute(); // the pooled connection lives on: unlock explicitly
        }
    }
}
