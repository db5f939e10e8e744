package io.vxswitch.lab.topology;

/** Something is wrong in a topology; the message starts with the file position and says what is expected. */
public final class TopologyException extends RuntimeException {
    private final transient Where where;
    private final String problem;

    public TopologyException(Where where, String problem) {
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
