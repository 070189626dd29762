package org.cassandraessync.state;

/**
 * A commit refused because another instance has begun a newer leadership term of the pair since
 * this one began its own (see {@link Checkpoints#beginTerm}): this instance no longer leads it.
 */
public class StaleTermException extends IllegalStateException {

    private final long term;
    private final Checkpoints.Term newer;

    public StaleTermException(String location, long term, Checkpoints.Term newer) {
        super("commit of term " + term + " refused by " + location + ": instance " + newer.instance()
                + " began term " + newer.number() + " since (fencing); this instance no longer leads the pair");
        this.term = term;
        this.newer = newer;
    }

    /** The refused term. */
    public long term() {
        return term;
    }

    /** The newest term, which refused the commit. */
    public Checkpoints.Term newer() {
        return newer;
    }
}
