package org.cassandraessync.ha;

/** This instance no longer leads the pair: its cycle stops where it is, without committing. */
public class LeadershipLostException extends IllegalStateException {

    LeadershipLostException(String pair, String why) {
        super("leadership of pair '" + pair + "' lost: " + why);
    }
}
