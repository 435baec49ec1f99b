package dev.rollgate.clinic.data;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A database failure that retrying cannot fix: a constraint refused the write, the data was invalid, or
 * the SQL is wrong. Carries the class and, for constraint violations, the constraint's name so the web
 * layer can say which rule was broken.
 */
public final class DataAccessException extends RuntimeException {

    private final SqlErrorClass errorClass;
    private final String constraint;

    public DataAccessException(SqlErrorClass errorClass, Throwable cause) {
        super(cause.getMessage(), cause);
        this.errorClass = errorClass;
        this.constraint = constraintOf(cause);
    }

    public SqlErrorClass errorClass() {
        return errorClass;
    }

    /** The violated constraint's name as reported by the server, or null. */
    public String constraint() {
        return constraint;
    }

    /** The server's own wording of a data error (e.g. "value too long for type ..."), or null. */
    public String serverDetail() {
        ServerErrorMessage server = serverMessage(getCause());
        return server == null ? null : server.getMessage();
    }

    private static String constraintOf(Throwable failure) {
        ServerErrorMessage server = serverMessage(failure);
        return server == null ? null : server.getConstraint();
    }

    private static ServerErrorMessage serverMessage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage();
            }
        }
        return null;
    }
}
