package io.dcbstore.simulator.load;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/** A data source that adds the time spent waiting for a pooled connection to the current request. */
public final class TimedDataSource implements DataSource {
    private final DataSource delegate;

    /** @param delegate the pool */
    public TimedDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
        long started = System.nanoTime();
        try {
            return delegate.getConnection();
        } finally {
            RequestContext.current().poolNanos += System.nanoTime() - started;
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        long started = System.nanoTime();
        try {
            return delegate.getConnection(username, password);
        } finally {
            RequestContext.current().poolNanos += System.nanoTime() - started;
        }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || delegate.isWrapperFor(type);
    }
}
