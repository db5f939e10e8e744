package io.vxswitch.config;

/** Something is wrong in a config or topology file; the message starts with the file position and says what is expected. */
public final class ConfigException extends RuntimeException {
    private final transient Where where;
    private final String problem;

    public ConfigException(Where where, String problem) {
        super(where + ": " + problem);
        this.where = where;
        this.problem = problem;
    }

    public Where where() {
        return where;
    }

    /** The message without the position. */
    public String problem() {
        return problem;
    }
}
