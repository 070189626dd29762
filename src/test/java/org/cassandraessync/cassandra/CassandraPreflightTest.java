package org.cassandraessync.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** How {@code check} reads a role's permissions as {@code LIST ALL PERMISSIONS OF} lists them. */
class CassandraPreflightTest {

    @Test
    void a_permission_on_the_keyspace_or_on_all_keyspaces_covers_the_table() {
        var onKeyspace = new CassandraPreflight.Permissions(false, Map.of("<keyspace shop>", Set.of("SELECT", "MODIFY")));
        assertThat(onKeyspace.onTable("SELECT", "shop", "products")).isTrue();
        assertThat(onKeyspace.onTable("ALTER", "shop", "products")).isFalse();
        assertThat(onKeyspace.onTable("SELECT", "other", "products")).as("another keyspace").isFalse();

        var everywhere = new CassandraPreflight.Permissions(false, Map.of("<all keyspaces>", Set.of("CREATE")));
        assertThat(everywhere.onKeyspace("CREATE", "shop")).isTrue();
        assertThat(everywhere.onTable("CREATE", "shop", "products")).isTrue();
        assertThat(everywhere.onTable("MODIFY", "shop", "products")).isFalse();
    }

    @Test
    void a_permission_on_another_table_does_not_count_and_all_or_superuser_covers_everything() {
        var otherTable = new CassandraPreflight.Permissions(false, Map.of("<table shop.orders>", Set.of("MODIFY")));
        assertThat(otherTable.onTable("MODIFY", "shop", "products")).isFalse();
        assertThat(otherTable.onTable("MODIFY", "shop", "orders")).isTrue();

        var all = new CassandraPreflight.Permissions(false, Map.of("<table shop.products>", Set.of("ALL")));
        assertThat(all.onTable("ALTER", "shop", "products")).isTrue();
        assertThat(new CassandraPreflight.Permissions(true, Map.of()).onAllKeyspaces("CREATE")).isTrue();
    }
}
