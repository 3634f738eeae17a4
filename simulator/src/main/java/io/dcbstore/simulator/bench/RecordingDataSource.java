package io.dcbstore.simulator.bench;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Wraps a pool so that every statement the store executes through it is written down, on the
 * executing thread, with the values bound to it: the store's own SQL text and parameters, as
 * they go to the server (one execution is one round trip). Statements still run; recording is
 * on only between {@link #start()} and {@link #stop()} on a thread, and for the other threads
 * between {@link #startBackground()} and {@link #stopBackground()}.
 */
final class RecordingDataSource {
    /**
     * A SQL array bound to a statement, as the store built it.
     *
     * @param type the element type given to {@code createArrayOf}
     * @param elements the elements (strings, numbers, booleans, uuids or nulls)
     */
    record SqlArray(String type, List<Object> elements) {}

    /**
     * One execution: the server it went to, the SQL text (several statements for a pipeline) and
     * the bound values in parameter order ({@code String}, {@code Long}, {@code Integer},
     * {@code Boolean}, {@link SqlArray} or {@code null}).
     *
     * @param server {@code primary} or {@code replica}
     * @param sql the text passed to {@code prepareStatement} (or {@code execute})
     * @param parameters the bound values
     */
    record RoundTrip(String server, String sql, List<Object> parameters) {}

    private static final ThreadLocal<List<RoundTrip>> RECORDED = new ThreadLocal<>();

    /** Executions of threads that record nothing of their own (the store's background work), while on. */
    private static volatile List<RoundTrip> background;

    private RecordingDataSource() {}

    /** Starts recording the calling thread's executions. */
    static void start() {
        RECORDED.set(new ArrayList<>());
    }

    /** @return the calling thread's executions since {@link #start()}; recording stops */
    static List<RoundTrip> stop() {
        List<RoundTrip> recorded = RECORDED.get();
        RECORDED.remove();
        return recorded == null ? List.of() : recorded;
    }

    /**
     * Starts recording, from every thread that is not recording its own, what the store sends in
     * the background (notifications of appends, replica health checks).
     */
    static void startBackground() {
        background = java.util.Collections.synchronizedList(new ArrayList<>());
    }

    /** @return the background executions since {@link #startBackground()}; recording them stops */
    static List<RoundTrip> stopBackground() {
        List<RoundTrip> recorded = background;
        background = null;
        return recorded == null ? List.of() : List.copyOf(recorded);
    }

    /**
     * @param server the name recorded for executions through the wrapped pool
     * @return a decorator for {@code ConnectedStore.Options}
     */
    static UnaryOperator<DataSource> decorator(String server) {
        return pool -> wrap(pool, DataSource.class, new DataSourceHandler(pool, server));
    }

    /** For a store whose pools are wrapped by one decorator: names the server by the pool's name suffix. */
    static UnaryOperator<DataSource> decoratorByPoolName() {
        return pool -> {
            String name = pool instanceof com.zaxxer.hikari.HikariDataSource hikari ? hikari.getPoolName() : "";
            return decorator(name.endsWith("-replica") ? "replica" : "primary").apply(pool);
        };
    }

    private static <T> T wrap(T target, Class<T> type, InvocationHandler handler) {
        return type.cast(
                Proxy.newProxyInstance(RecordingDataSource.class.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object call(Object target, Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private record DataSourceHandler(DataSource pool, String server) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            Object result = call(pool, method, arguments);
            if (method.getName().equals("getConnection")) {
                Connection connection = (Connection) result;
                return wrap(connection, Connection.class, new ConnectionHandler(connection, server));
            }
            return result;
        }
    }

    private static final class ConnectionHandler implements InvocationHandler {
        private final Connection connection;
        private final String server;
        private final Map<Array, SqlArray> arrays = new IdentityHashMap<>();

        ConnectionHandler(Connection connection, String server) {
            this.connection = connection;
            this.server = server;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            Object result = call(connection, method, arguments);
            switch (method.getName()) {
                case "prepareStatement" -> {
                    PreparedStatement statement = (PreparedStatement) result;
                    return wrap(statement, PreparedStatement.class, new StatementHandler(statement, this, (String)
                            arguments[0]));
                }
                case "createStatement" -> {
                    Statement statement = (Statement) result;
                    return wrap(statement, Statement.class, new StatementHandler(statement, this, null));
                }
                case "createArrayOf" -> {
                    arrays.put((Array) result, new SqlArray((String) arguments[0], List.of(copy((Object[])
                            arguments[1]))));
                    return result;
                }
                default -> {
                    return result;
                }
            }
        }

        private static Object[] copy(Object[] elements) {
            return java.util.Arrays.stream(elements)
                    .map(element -> element == null ? NullElement.NULL : element)
                    .toArray();
        }
    }

    /** Stands for a null array element ({@code List.of} refuses nulls). */
    enum NullElement {
        NULL
    }

    private static final class StatementHandler implements InvocationHandler {
        private final Statement statement;
        private final ConnectionHandler connection;
        private final String sql;
        private final Map<Integer, Object> parameters = new TreeMap<>();

        StatementHandler(Statement statement, ConnectionHandler connection, String sql) {
            this.statement = statement;
            this.connection = connection;
            this.sql = sql;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] arguments) throws Throwable {
            String name = method.getName();
            if (name.startsWith("set")
                    && arguments != null
                    && arguments.length >= 2
                    && arguments[0] instanceof Integer) {
                bind(name, (Integer) arguments[0], arguments[1]);
            } else if (name.equals("clearParameters")) {
                parameters.clear();
            } else if (name.startsWith("execute")) {
                record(arguments != null && arguments.length > 0 && arguments[0] instanceof String text ? text : sql);
            }
            return call(statement, method, arguments);
        }

        private void bind(String method, int index, Object value) {
            if (method.equals("setNull")) {
                parameters.put(index, null);
            } else if (value instanceof Array array) {
                SqlArray recorded = connection.arrays.get(array);
                if (recorded == null) {
                    throw new IllegalStateException("an array not made by this connection's createArrayOf was bound");
                }
                parameters.put(index, recorded);
            } else {
                parameters.put(index, value);
            }
        }

        private void record(String text) {
            List<RoundTrip> recorded = RECORDED.get();
            if (recorded == null) {
                recorded = background;
            }
            if (recorded != null && text != null) {
                recorded.add(new RoundTrip(
                        connection.server,
                        text,
                        java.util.Collections.unmodifiableList(new ArrayList<>(parameters.values()))));
            }
        }
    }
}
