package org.cassandraessync.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The table of requests and privileges and docs/security.md's Least privilege section say the same. */
class ElasticsearchOperationTest {

    private static final Path SECURITY = Path.of("docs", "security.md");

    @Test
    void every_request_the_daemon_sends_is_documented_with_its_privilege() throws IOException {
        String docs = Files.readString(SECURITY);
        for (ElasticsearchOperation operation : ElasticsearchOperation.values()) {
            assertThat(docs).as(operation + " in the table of " + SECURITY).containsPattern("(?m)^\\| [^|]+ \\| `"
                    + operation.endpointId().replace(".", "\\.") + "` \\| `" + operation.privilege() + "` \\|$");
        }
    }

    @Test
    void the_documented_role_grants_every_privilege_of_the_table() throws IOException {
        String docs = Files.readString(SECURITY);
        String role = docs.substring(docs.indexOf("cassandra_es_sync:\n"));
        String privileges = role.substring(role.indexOf("privileges: ["), role.indexOf("]", role.indexOf("privileges: [")));
        String creation = role.substring(role.indexOf("# add"), role.indexOf('\n', role.indexOf("# add")));
        for (ElasticsearchOperation operation : ElasticsearchOperation.values()) {
            assertThat(privileges + creation).as("the role in " + SECURITY + " grants " + operation.privilege())
                    .contains("\"" + operation.privilege() + "\"");
        }
    }
}
