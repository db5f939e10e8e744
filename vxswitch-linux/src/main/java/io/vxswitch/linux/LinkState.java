package io.vxswitch.linux;

/** What the kernel says about the interface under a port: carrying frames, down, or no longer there. */
public enum LinkState {
    /** Administratively up and running (IFF_UP and IFF_RUNNING): frames flow. */
    UP("up"),
    /** Present, but down or without carrier; frames flow again when it comes back. */
    DOWN("down"),
    /** Deleted, or moved to another network namespace: the port's descriptor will never carry frames again. */
    GONE("gone");

    private final String label;

    LinkState(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
