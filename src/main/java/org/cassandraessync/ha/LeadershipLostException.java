package org.cassandraessync.ha;

/**
 * This instance no longer leads the pair: its cycle stops where it is, without committing.
 */
public class LeadershipLostException extends IllegalStateException {

    private final boolean electionUnaware;

    LeadershipLostException(String pair, String why, boolean electionUnaware) {
        super("leadership of pair '" + pair + "' lost: " + why);
        this.electionUnaware = electionUnaware;
    }

    /**
     * True when the election still names this instance (a lock it holds on a file that was
     * replaced, a session not yet known to be expired): it must leave and join the election again.
     */
    public boolean electionUnaware() {
        return electionUnaware;
    }
}
