package io.vxswitch.config;

/** A position in a topology file, printed {@code file:line:column} (both 1-based) like compilers do. */
public record Where(String source, int line, int column) {
    /** For topologies built in code rather than read from a file. */
    public static final Where NOWHERE = new Where("<code>", 0, 0);

    /** An error at this position: {@code seed.yaml:12:5: message}. */
    public ConfigException error(String message) {
        return new ConfigException(this, message);
    }

    @Override
    public String toString() {
        return this == NOWHERE || line == 0 ? source : source + ":" + line + ":" + column;
    }
}
