package org.cassandraessync.secured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import org.cassandraessync.config.SyncSettings;
import org.cassandraessync.connect.StoreClients;
import org.cassandraessync.elasticsearch.ElasticsearchIndex;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request the daemon sends about a pair's index, refused in turn by an API key that holds
 * every privilege docs/security.md lists except the one that request needs: the line names what the
 * daemon attempted, the index and the privilege to grant, and quotes nothing of the client's
 * (a refused HEAD has no body: the client's own words once stood where the action belongs).
 * The requests are made as the daemon makes them (the same client calls; {@link ElasticsearchIndex}
 * itself for the index checks).
 */
class ElasticsearchRefusalsIT {

    private static final List<String> EVERY_PRIVILEGE = List.of("read", "index", "view_index_metadata",
            "indices:admin/mapping/put", "indices:admin/refresh", "create_index");

    private static SecuredStores stores;
    private static String index;
    private static UUID existing;

    /** One request of the daemon's, sent with {@code client}. */
    @FunctionalInterface
    interface Request {
        void send(ElasticsearchClient client) throws Exception;
    }

    @BeforeAll
    static void anIndexWithOneDocument() {
        stores = SecuredStores.fresh("refusals");
        stores.test().createIndex();
        index = stores.test().index();
        existing = UUID.randomUUID();
        stores.test().index(existing, Map.of("last_modified", Instant.now().toString(), "name", "lamp"));
        stores.test().refresh();
    }

    @AfterAll
    static void close() {
        stores.close();
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                refused("index exists", "view_index_metadata", "check whether index %s exists",
                        c -> ElasticsearchIndex.ensure(c, index, "last_modified", false)),
                refused("create index", "create_index", "create index %s-created",
                        c -> ElasticsearchIndex.ensure(c, index + "-created", "last_modified", true)),
                refused("mapping read", "view_index_metadata", "read the mapping of index %s",
                        c -> ElasticsearchIndex.properties(c, index)),
                // as SchemaEvolution maps a column that exists only in Cassandra; Elasticsearch 9 still lets the
                // privilege index update mappings (with a deprecation warning), so the key lacks both
                refused("mapping update", "indices:admin/mapping/put", "add fields to the mapping of index %s",
                        c -> c.indices().putMapping(m -> m.index(index).properties("colour", p -> p.keyword(k -> k)))),
                refused("refresh", "indices:admin/refresh", "refresh index %s",
                        c -> c.indices().refresh(r -> r.index(index))),
                refused("count", "read", "count the documents of index %s", c -> c.count(r -> r.index(index))),
                refused("point in time", "read", "open a point in time on index %s",
                        c -> c.openPointInTime(p -> p.index(index).keepAlive(k -> k.time("1m")))),
                // the daemon searches a point in time (opened here by the admin) with search_after
                refused("search", "read", "search index %s", c -> {
                    String pit = stores.test().elasticsearch().openPointInTime(p -> p.index(index)
                            .keepAlive(k -> k.time("1m"))).id();
                    c.search(s -> s.pit(p -> p.id(pit)).size(10).sort(o -> o.field(f -> f.field("_shard_doc"))),
                            Map.class);
                }),
                refused("multi-get", "read", "read documents of index %s by id",
                        c -> c.mget(m -> m.index(index).ids(existing.toString()), Map.class)),
                refused("bulk", "index", "write documents to index %s",
                        c -> c.bulk(b -> b.index(index).operations(BulkOperation.of(o -> o.create(d -> d.index(index)
                                .id(UUID.randomUUID().toString()).document(Map.of("name", "chair"))))))));
    }

    private static Arguments refused(String name, String privilege, String action, Request request) {
        return Arguments.of(name, privilege, action, request);
    }

    @ParameterizedTest(name = "{0}, without {1}")
    @MethodSource("requests")
    void a_refused_request_names_the_operation_the_index_and_the_privilege(String name, String privilege,
            String action, Request request) {
        List<String> granted = new ArrayList<>(EVERY_PRIVILEGE);
        granted.remove(privilege);
        if (privilege.equals("indices:admin/mapping/put")) {
            granted.remove("index");
        }
        // the key covers the test's index and the one "create index" tries to create
        String key = stores.apiKey(index + "*", "\"" + String.join("\", \"", granted) + "\"");
        Map<String, String> properties = new LinkedHashMap<>(stores.test().daemonProperties());
        properties.remove("sync.elasticsearch.username");
        properties.remove("sync.elasticsearch.password");
        properties.put("sync.elasticsearch.api-key", key);
        StoreClients clients = new StoreClients(SyncSettings.from(k -> Optional.ofNullable(properties.get(k))));
        try {
            Throwable refusal = catchThrowable(() -> request.send(clients.elasticsearch()));
            assertThat(refusal).as(name + " without " + privilege + " is refused").isNotNull();

            // as a pair's failed cycle asks (the pair's index where the request names none: a search of a
            // point in time); the index the request names comes first ("create index" is about another)
            String target = action.contains("%s-created") ? index + "-created" : index;
            assertThat(clients.explain(refusal, index)).as("the line for " + name).contains("Elasticsearch at 127.0.0.1:"
                    + stores.elasticsearchPort() + " refused to " + action.formatted(index) + " (HTTP 403): grant the"
                    + " index privilege " + privilege + " on " + target + " to the user or API key (docs/security.md,"
                    + " Least privilege, lists what the daemon needs)");
        } finally {
            clients.stop();
        }
    }
}
