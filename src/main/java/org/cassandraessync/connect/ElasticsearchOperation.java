package org.cassandraessync.connect;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every request the daemon sends to Elasticsearch about a pair's index, by the Java client's
 * endpoint id, with the index privilege it needs: the table behind docs/security.md's "Least
 * privilege" section, and behind the line that names what to grant when the cluster refuses (HTTP
 * 403). The cluster privilege {@code monitor} is not listed: the daemon does without it (the
 * readiness probe's {@code GET /}, the bulk size limit's settings).
 */
public enum ElasticsearchOperation {

    INDEX_EXISTS("es/indices.exists", "check whether index %s exists", "view_index_metadata"),
    CREATE_INDEX("es/indices.create", "create index %s", "create_index"),
    READ_MAPPING("es/indices.get_mapping", "read the mapping of index %s", "view_index_metadata"),
    UPDATE_MAPPING("es/indices.put_mapping", "add fields to the mapping of index %s", "indices:admin/mapping/put"),
    REFRESH("es/indices.refresh", "refresh index %s", "indices:admin/refresh"),
    COUNT("es/count", "count the documents of index %s", "read"),
    OPEN_POINT_IN_TIME("es/open_point_in_time", "open a point in time on index %s", "read"),
    SEARCH("es/search", "search index %s", "read"),
    MULTI_GET("es/mget", "read documents of index %s by id", "read"),
    BULK("es/bulk", "write documents to index %s", "index");

    private final String endpointId;
    private final String action;
    private final String privilege;

    ElasticsearchOperation(String endpointId, String action, String privilege) {
        this.endpointId = endpointId;
        this.action = action;
        this.privilege = privilege;
    }

    /** The operation the client names {@code endpointId} ({@code es/indices.exists}), if the daemon performs it. */
    public static Optional<ElasticsearchOperation> of(String endpointId) {
        return Arrays.stream(values()).filter(o -> o.endpointId.equals(endpointId)).findFirst();
    }

    public String endpointId() {
        return endpointId;
    }

    /** What the daemon attempted, as the end of "refused to …": {@code check whether index products exists}. */
    public String action(String index) {
        return action.formatted(index);
    }

    /** The index privilege that grants it (the least one; {@code manage} or {@code all} grant it too). */
    public String privilege() {
        return privilege;
    }
}
