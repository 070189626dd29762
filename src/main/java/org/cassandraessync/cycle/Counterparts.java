package org.cassandraessync.cycle;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.cassandraessync.cassandra.CassandraLookup;
import org.cassandraessync.elasticsearch.ElasticsearchLookup;
import org.cassandraessync.record.Side;
import org.cassandraessync.record.SyncRecord;

/**
 * Completes a page of changes read from one store with the other store's current copies of the
 * same ids, so that the newest-wins aggregation compares every change with what it would replace.
 */
public class Counterparts {

    private final CassandraLookup cassandra;
    private final ElasticsearchLookup elasticsearch;
    private final SyncCycle cycle;

    public Counterparts(CassandraLookup cassandra, ElasticsearchLookup elasticsearch, SyncCycle cycle) {
        this.cassandra = cassandra;
        this.elasticsearch = elasticsearch;
        this.cycle = cycle;
    }

    /**
     * The page followed by the other store's copies of its ids; none when the other store was
     * empty as this (first) cycle began.
     */
    public List<SyncRecord> fetch(List<SyncRecord> page) {
        if (page.isEmpty() || cycle.wasEmptyAtStart(page.get(0).side().opposite())) {
            return page;
        }
        List<UUID> ids = page.stream().map(SyncRecord::id).toList();
        List<SyncRecord> both = new ArrayList<>(page.size() * 2);
        both.addAll(page);
        both.addAll(page.get(0).side() == Side.CASSANDRA ? elasticsearch.find(ids) : cassandra.find(ids));
        return both;
    }
}
