package io.vxswitch.bgp.session;

/** RFC 4271 §8.2.2's states, printed as FRR's {@code show bgp neighbors} prints them. */
public enum SessionState {
    IDLE("Idle"), CONNECT("Connect"), ACTIVE("Active"), OPEN_SENT("OpenSent"), OPEN_CONFIRM("OpenConfirm"),
    ESTABLISHED("Established");

    private final String label;

    SessionState(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
